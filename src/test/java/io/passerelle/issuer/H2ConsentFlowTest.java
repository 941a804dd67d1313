package io.passerelle.issuer;

/** Consent and claims by purpose on the embedded H2 database. */
class H2ConsentFlowTest extends ConsentFlowContract {
}
