#include <CLI/CLI.hpp>

#include "keys/secret_bytes.hpp"

int main(int argc, char** argv) {
  CLI::App app{"Sluis: privacy-preserving case-sharing gateway"};
  app.require_subcommand(1);
  CLI11_PARSE(app, argc, argv);
  return 0;
}
