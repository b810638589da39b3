/**
 * The plain-Java contract by which the control plane publishes service configuration through
 * Hazelcast, and ext-authz and ratelimit-service receive it: the names of the maps and the topic
 * ({@link Distribution}), and the serializable values stored in them ({@link ServiceConfig}, {@link
 * PublishedDocument}, {@link SigningKey}). Subscribers load a {@link ServiceConfig} with the same
 * {@link dev.gatehouse.config.ResourceLoader} as the control plane, so errors still name the
 * original file and line. No Hazelcast types here: edge-config stays free of it.
 */
package dev.gatehouse.config.distribution;
