package io.passerelle.issuer;

/** The portal journey on the embedded H2 database (the zero set-up default). */
class H2IssuerFlowTest extends IssuerFlowContract {
}
