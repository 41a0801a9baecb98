#pragma once
// A hash map keyed by std::string that find() and contains() take a std::string_view for, without building a
// std::string per lookup (C++20 heterogeneous lookup).
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>

namespace p3p {

struct StringHash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};

template <class Value>
using StringMap = std::unordered_map<std::string, Value, StringHash, std::equal_to<>>;

}  // namespace p3p
