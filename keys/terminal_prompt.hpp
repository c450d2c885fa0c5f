#pragma once
// Reading a secret (a passphrase, a password) from the controlling terminal without echo.

#include <cstddef>
#include <string_view>

#include "common/error.hpp"
#include "keys/secret_bytes.hpp"

namespace sluis::keys {

// Shows `prompt` on /dev/tty with echo switched off (before the prompt appears, so nothing typed
// after it is ever shown) and reads one line, without its newline, into secret memory; echo is
// restored on every path. errc::unavailable when there is no terminal or echo cannot be switched
// off (a service should use another source); errc::invalid_argument (field `what`) when the line
// is empty or `max_size` bytes or longer.
result<secret_bytes> read_secret_from_terminal(std::string_view prompt, std::string_view what,
                                               std::size_t max_size);

}  // namespace sluis::keys
