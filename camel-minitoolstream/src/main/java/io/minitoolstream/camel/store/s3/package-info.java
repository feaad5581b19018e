/**
 * {@link io.minitoolstream.camel.store.PayloadStore} on S3-compatible object storage through the MinIO client:
 * client factory (TCP_NODELAY, TLS from Camel's SSLContextParameters), bucket check on first use, streaming puts
 * and gets, listing for the orphan sweep.
 */
package io.minitoolstream.camel.store.s3;
