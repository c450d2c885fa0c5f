#pragma once
// A child process for tests that run the real `sluis` binary: started with posix_spawn, its
// stdout and stderr together on one pipe. Not thread-safe; one child per object.

#include <sys/types.h>

#include <string>
#include <string_view>
#include <vector>

namespace sluis::testing {

struct process {
  pid_t pid = -1;  // -1 when the spawn failed
  int out = -1;    // read end of the child's stdout and stderr
};

// Starts `binary` with `args` (args[0] is the program name) in the test's environment.
process spawn(const std::string& binary, const std::vector<std::string>& args);

// Reads the child's output until `stop_at` appears, the child closes its output, or 60 s pass (a
// guard against a hung test, not a timing assertion).
std::string read_output(int fd, std::string_view stop_at = {});

// Waits for the child; its exit code, 128 + the signal when a signal ended it, or -1 when it
// could not be waited for.
int wait_exit(pid_t pid);

}  // namespace sluis::testing
