// parcours_replay: feeds a log of JSON inputs (one per line, from a file or stdin) to a native
// Core and prints one JSON output per line. The node parity test runs the same log through
// the WASM build and requires byte-identical output.
//
// `--sliced` (first argument) encodes outputs as the WASM build's parcours_handle_sliced does,
// large strings as [address, length] instead of escaped: for profiling the path the browser
// takes (its addresses make the output useless for comparisons).
#include <cstring>
#include <fstream>
#include <iostream>
#include <string>

#include "parcours/core.h"
#include "parcours/json_protocol.h"

int main(int argc, char** argv) {
  const bool sliced = argc > 1 && std::strcmp(argv[1], "--sliced") == 0;
  if (sliced) {
    --argc;
    ++argv;
  }
  std::ifstream file;
  if (argc > 1) {
    file.open(argv[1]);
    if (!file) {
      std::cerr << "parcours_replay: cannot open " << argv[1] << "\n";
      return 2;
    }
  }
  std::istream& in = argc > 1 ? file : std::cin;
  parcours::Core core(argc > 2 ? argv[2] : PARCOURS_VERSION);
  std::string line;
  std::string output;
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    if (sliced) {
      output.clear();
      parcours::AppendOutputInPlace(parcours::HandleInput(core, line), &output);
      std::cout << output << "\n";
    } else {
      std::cout << parcours::HandleJson(core, line) << "\n";
    }
  }
  return 0;
}
