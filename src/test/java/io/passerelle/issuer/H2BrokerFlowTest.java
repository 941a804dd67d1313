package io.passerelle.issuer;

/** Brokered sign-in on the embedded H2 database. */
class H2BrokerFlowTest extends BrokerFlowContract {
}
