/**
 * Local MiniToolStream infrastructure for tests, examples and benchmarks: a real Tarantool child
 * process running the project's {@code lua/init.lua} ({@link io.minitoolstream.devservices.TarantoolServer}),
 * an in-process S3 server ({@link io.minitoolstream.devservices.S3Server}), both together
 * ({@link io.minitoolstream.devservices.DevServices}) and a JUnit 5 extension sharing one pair per
 * test run ({@link io.minitoolstream.devservices.DevServicesExtension}). Everything listens on
 * loopback only, on free ports, with random credentials.
 */
package io.minitoolstream.devservices;
