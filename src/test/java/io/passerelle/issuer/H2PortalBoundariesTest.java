package io.passerelle.issuer;

/** Issue 11's portal boundaries on the embedded H2 database. */
class H2PortalBoundariesTest extends PortalBoundariesContract {
}
