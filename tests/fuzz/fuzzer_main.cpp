// The libFuzzer entry point of one target; SLUIS_FUZZ_TARGET names its function in targets.hpp.
#include "tests/fuzz/targets.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  return sluis::fuzz::SLUIS_FUZZ_TARGET(data, size);
}
