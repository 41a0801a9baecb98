#pragma once
// Reading a whole file, and editing text by replacement: how tests derive a topology of their own from a
// shipped one (free ports, a setting changed).
#include <filesystem>
#include <fstream>
#include <iterator>
#include <string>

namespace p3p::test {

inline std::string read_file(const std::filesystem::path& p) {
  std::ifstream in(p);
  return {std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>()};
}

inline void replace_all(std::string& s, const std::string& from, const std::string& to) {
  for (auto p = s.find(from); p != std::string::npos; p = s.find(from, p + to.size())) s.replace(p, from.size(), to);
}

}  // namespace p3p::test
