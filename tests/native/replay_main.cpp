// parcours_replay: feeds a log of JSON inputs (one per line, from a file or stdin) to a native
// Core and prints one JSON output per line. The node parity test runs the same log through
// the WASM build and requires byte-identical output.
#include <fstream>
#include <iostream>
#include <string>

#include "parcours/core.h"
#include "parcours/json_protocol.h"

int main(int argc, char** argv) {
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
  while (std::getline(in, line)) {
    if (line.empty()) continue;
    std::cout << parcours::HandleJson(core, line) << "\n";
  }
  return 0;
}
