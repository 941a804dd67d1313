package io.passerelle.issuer;

/** Malformed and hostile requests on the embedded H2 database. */
class H2BadInputTest extends BadInputContract {
}
