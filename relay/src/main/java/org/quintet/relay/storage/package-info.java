/**
 * The storage contract of the relay: what any backend (the embedded database of a single node,
 * or Redis for a cluster) must provide. Every method is asynchronous and never blocks the caller;
 * every multi-step change is atomic. The contract test suite ({@code StorageContractTest} in the
 * tests) is the executable form of this contract, and every backend passes it.
 *
 * <p>What the relay stores is public by the protocol's design: numbers, public keys, signed
 * device lists and opaque envelopes. No plaintext and no private key reaches storage.
 */
package org.quintet.relay.storage;
