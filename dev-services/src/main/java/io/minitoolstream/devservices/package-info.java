/**
 * Local MiniToolStream infrastructure for tests, examples and benchmarks: a real Tarantool child
 * process running the project's {@code lua/init.lua} ({@link io.minitoolstream.devservices.TarantoolServer}),
 * a master and a read-only replica for failover tests
 * ({@link io.minitoolstream.devservices.TarantoolReplicaSet}),
 * an in-process S3 server ({@link io.minitoolstream.devservices.S3Server}), a Tarantool and an S3
 * server together ({@link io.minitoolstream.devservices.DevServices}) and a JUnit 5 extension
 * sharing one such pair per test run ({@link io.minitoolstream.devservices.DevServicesExtension}).
 * Everything listens on loopback only, on free ports, with random credentials; Tarantool's admin
 * console is an owner-only Unix socket.
 */
package io.minitoolstream.devservices;
