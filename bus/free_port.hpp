#pragma once
// A TCP port on 127.0.0.1 that is free now, for tests and local benchmarks that start nodes on fresh
// ports. Chosen below the kernel's ephemeral range (32768-60999 on Linux): nodes bind their spike path to
// a port the kernel picks, so a port from bind(0) could be taken by some node the moment it was closed.
// Each process takes ports from its own block (by pid), skipping ports in use. 0 if none is free.
namespace p3p::bus {

int free_loopback_port();

}  // namespace p3p::bus
