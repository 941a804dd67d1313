package io.passerelle.issuer;

/** Back-channel logout on the embedded H2 database. */
class H2BackChannelLogoutTest extends BackChannelLogoutContract {
}
