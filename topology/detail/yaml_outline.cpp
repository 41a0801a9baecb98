#include "topology/detail/yaml_outline.hpp"

#include <string>

namespace p3p::topology::detail {
namespace {

// A cursor over the text that knows its line and column (1-based, as every error reports them).
struct Cursor {
  std::string_view text;
  std::size_t at = 0;
  int line = 1, column = 1;

  bool done() const { return at >= text.size(); }
  char peek() const { return text[at]; }
  void step() {
    if (text[at] == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    ++at;
  }
  Pos pos() const { return {line, column}; }
  bool line_start() const { return column == 1; }
  bool starts(std::string_view s) const { return text.substr(at, s.size()) == s; }
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

// Skips white space, comments, directives and document markers ("---", "..."): true if a marker was passed.
bool skip_insignificant(Cursor& c) {
  bool marker = false;
  while (!c.done()) {
    const char ch = c.peek();
    const bool at_marker = c.line_start() && (c.starts("---") || c.starts("...")) &&
                           (c.at + 3 == c.text.size() || is_space(c.text[c.at + 3]));
    if (is_space(ch)) {
      c.step();
    } else if (at_marker) {
      marker = true;
      for (int i = 0; i < 3; ++i) c.step();
    } else if (ch == '#' || (ch == '%' && c.line_start())) {
      while (!c.done() && c.peek() != '\n') c.step();
    } else {
      break;
    }
  }
  return marker;
}

// Node properties before the root (an anchor &a, a tag !!map): skipped, they do not change its kind.
void skip_properties(Cursor& c) {
  while (!c.done() && (c.peek() == '&' || c.peek() == '!')) {
    while (!c.done() && !is_space(c.peek())) c.step();
    skip_insignificant(c);
  }
}

// From an opening '{' to its matching close, skipping quoted strings and comments.
void skip_flow(Cursor& c) {
  int depth = 0;
  char quote = 0;
  bool after_space = true;
  while (!c.done()) {
    const char ch = c.peek();
    if (quote) {
      if (ch == '\\' && quote == '"' && c.at + 1 < c.text.size()) c.step();
      else if (ch == quote) quote = 0;
    } else if (ch == '"' || ch == '\'') {
      quote = ch;
    } else if (ch == '#' && after_space) {
      while (!c.done() && c.peek() != '\n') c.step();
      continue;
    } else if (ch == '{' || ch == '[') {
      ++depth;
    } else if (ch == '}' || ch == ']') {
      if (--depth == 0) {
        c.step();
        return;
      }
    }
    after_space = is_space(ch);
    c.step();
  }
}

}  // namespace

bool check_outline(Diagnostics& diag, std::string_view text) {
  Cursor c{text};
  skip_insignificant(c);
  skip_properties(c);
  if (c.done()) return true;  // empty: the loader says so
  const char first = c.peek();
  if (first == '{') {
    skip_flow(c);
    if (c.done()) return true;  // unclosed: yaml-cpp reports it
    const Pos end = c.pos();
    skip_insignificant(c);
    if (c.done()) return true;
    diag.error(c.pos(), "only comments may follow the topology's closing '}' (line " + std::to_string(end.line) +
                            ", column " + std::to_string(end.column - 1) + ")");
    return false;
  }
  if (first == ',' || first == '[' || first == ']' || first == '}' || first == '"' || first == '\'') {
    diag.error(c.pos(), std::string("a topology is a mapping with keys 'cluster', 'nodes' and 'regions'; this one starts with '") +
                            first + "'");
    return false;
  }
  // A block mapping: it ends only where another document begins, which a topology may not have, or at a line
  // indented less than its first key, which would leave that line at the level of the document.
  const int root_column = c.column;
  while (!c.done()) {
    while (!c.done() && c.peek() != '\n') c.step();
    if (!c.done()) c.step();
    const bool marker = skip_insignificant(c);
    if (c.done()) break;
    if (marker) {
      diag.error(c.pos(), "expected a single YAML document, but another one starts here");
      return false;
    }
    if (c.column < root_column) {
      diag.error(c.pos(), "indented less than the topology's first key (column " + std::to_string(root_column) + ")");
      return false;
    }
  }
  return true;
}

}  // namespace p3p::topology::detail
