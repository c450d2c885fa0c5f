#pragma once
// The OpenAPI 3.1 document of the partner API (gateway/api/openapi.yaml), compiled into the binary
// so that /v1/openapi.yaml always serves the document of the running version.

#include <string_view>

namespace sluis::api {

std::string_view openapi_yaml() noexcept;

}  // namespace sluis::api
