# Warnings and sanitizers apply to our targets only, through this interface library.
add_library(sluis_build_flags INTERFACE)
target_compile_options(sluis_build_flags INTERFACE -Wall -Wextra -Wpedantic -Wshadow
                                                   -Wnon-virtual-dtor -Wimplicit-fallthrough)
# g++ 12 at -O2/-O3 warns falsely about `"text" + std::string` (GCC bug 105329).
if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
  target_compile_options(sluis_build_flags INTERFACE -Wno-restrict)
endif()
if(SLUIS_WERROR)
  target_compile_options(sluis_build_flags INTERFACE -Werror)
endif()
target_include_directories(sluis_build_flags INTERFACE ${PROJECT_SOURCE_DIR})
# Boost.Asio and Beast: no deprecated interfaces, and one place to keep their options.
target_compile_definitions(sluis_build_flags INTERFACE BOOST_ASIO_NO_DEPRECATED
                                                       BOOST_BEAST_USE_STD_STRING_VIEW)
if(SLUIS_SANITIZERS)
  list(JOIN SLUIS_SANITIZERS "," sanitizers)
  target_compile_options(sluis_build_flags INTERFACE -fsanitize=${sanitizers}
                                                     -fno-omit-frame-pointer -fno-sanitize-recover=all)
  target_link_options(sluis_build_flags INTERFACE -fsanitize=${sanitizers})
  # g++ 12 warns (-Wtsan) that ThreadSanitizer does not model the std::atomic_thread_fence in
  # Asio's fenced blocks; with -Werror that stopped every debug-tsan build. The fences order
  # Asio's own handler memory; our code does not use standalone fences.
  if("thread" IN_LIST SLUIS_SANITIZERS AND CMAKE_CXX_COMPILER_ID STREQUAL "GNU"
     AND CMAKE_CXX_COMPILER_VERSION VERSION_GREATER_EQUAL 12)
    target_compile_options(sluis_build_flags INTERFACE -Wno-tsan)
  endif()
endif()
# Fuzzing: coverage instrumentation for all our code; only the fuzz_* executables link libFuzzer.
if(SLUIS_FUZZ)
  if(NOT CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
    message(FATAL_ERROR "SLUIS_FUZZ needs clang (libFuzzer): CXX=clang++-14, see tests/fuzz/README.md")
  endif()
  target_compile_options(sluis_build_flags INTERFACE -fsanitize=fuzzer-no-link)
endif()

# sluis_library(name SOURCES ... DEPS ...): a module library with our flags.
function(sluis_library name)
  cmake_parse_arguments(arg "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${arg_SOURCES})
  target_link_libraries(${name} PUBLIC sluis_build_flags ${arg_DEPS})
endfunction()
