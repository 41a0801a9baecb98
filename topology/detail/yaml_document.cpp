#include "topology/detail/yaml_document.hpp"

#include <yaml.h>

#include <algorithm>
#include <unordered_map>

#include "topology/detail/map_reader.hpp"

namespace p3p::topology::detail {

std::uint64_t expansion_budget(std::uint64_t text_bytes) {
  return std::max<std::uint64_t>(std::uint64_t{1} << 20, 2 * text_bytes);
}

// ---- YamlNode ----

namespace {
using Kind = YamlDocument::Kind;
}

bool YamlNode::is_null() const { return doc_ && doc_->entries_[index_].kind == Kind::null; }
bool YamlNode::is_scalar() const { return doc_ && doc_->entries_[index_].kind == Kind::scalar; }
bool YamlNode::is_list() const { return doc_ && doc_->entries_[index_].kind == Kind::list; }
bool YamlNode::is_map() const { return doc_ && doc_->entries_[index_].kind == Kind::map; }
bool YamlNode::is_plain() const { return is_scalar() && doc_->entries_[index_].plain; }

std::string_view YamlNode::scalar() const {
  if (!is_scalar()) return {};
  const auto& e = doc_->entries_[index_];
  return std::string_view(doc_->text_).substr(e.begin, e.count);
}

std::size_t YamlNode::size() const {
  if (!doc_) return 0;
  const auto& e = doc_->entries_[index_];
  if (e.kind == Kind::list) return e.count;
  if (e.kind == Kind::map) return e.count / 2;
  return 0;
}

YamlNode YamlNode::child(std::size_t i) const {
  return YamlNode(doc_, doc_->children_[doc_->entries_[index_].begin + i]);
}
YamlNode YamlNode::item(std::size_t i) const { return is_list() && i < size() ? child(i) : YamlNode(); }
YamlNode YamlNode::key(std::size_t i) const { return is_map() && i < size() ? child(2 * i) : YamlNode(); }
YamlNode YamlNode::value(std::size_t i) const { return is_map() && i < size() ? child(2 * i + 1) : YamlNode(); }

Pos YamlNode::pos() const {
  if (!doc_) return {};
  const auto& e = doc_->entries_[index_];
  return {static_cast<int>(e.line), static_cast<int>(e.column)};
}

// ---- building ----

namespace {

Pos pos_of(const yaml_mark_t& m) { return {static_cast<int>(m.line) + 1, static_cast<int>(m.column) + 1}; }

// 1-based line and column of a byte offset (libyaml's reader errors give only the offset).
Pos pos_at(std::string_view text, std::size_t offset) {
  offset = std::min(offset, text.size());
  const std::string_view before = text.substr(0, offset);
  const std::size_t line_start = before.rfind('\n');
  const int line = 1 + static_cast<int>(std::count(before.begin(), before.end(), '\n'));
  const std::size_t column = line_start == std::string_view::npos ? offset : offset - line_start - 1;
  return {line, static_cast<int>(column) + 1};
}

std::string_view text_of(const yaml_char_t* s) {
  return s ? std::string_view(reinterpret_cast<const char*>(s)) : std::string_view();
}

// A scalar that is null in YAML's core schema, when written without quotes.
bool null_text(std::string_view s) { return s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL"; }

// Owns a parser and the event it last produced, so every exit frees both.
class EventReader {
 public:
  explicit EventReader(std::string_view text) {
    ok_ = yaml_parser_initialize(&parser_) != 0;
    if (ok_)
      yaml_parser_set_input_string(&parser_, reinterpret_cast<const unsigned char*>(text.data()), text.size());
  }
  ~EventReader() {
    release();
    yaml_parser_delete(&parser_);
  }
  EventReader(const EventReader&) = delete;
  EventReader& operator=(const EventReader&) = delete;

  bool initialized() const { return ok_; }
  // The next event, or nullptr on a parse error (then error() describes it).
  const yaml_event_t* next() {
    release();
    if (!yaml_parser_parse(&parser_, &event_)) return nullptr;
    has_event_ = true;
    return &event_;
  }
  const yaml_parser_t& parser() const { return parser_; }

 private:
  void release() {
    if (has_event_) yaml_event_delete(&event_);
    has_event_ = false;
  }

  yaml_parser_t parser_{};
  yaml_event_t event_{};
  bool has_event_ = false;
  bool ok_ = false;
};

}  // namespace

// Folds the events into the document: a stack of open lists and mappings, each collecting its children's
// indices, appended to the document's children array (contiguous) when it ends.
class YamlBuilder {
 public:
  YamlBuilder(Diagnostics& d, std::string_view text, std::uint64_t budget) : diag_(d), text_(text), budget_(budget) {
    // Room for the most a text of this size can hold in practice (a node takes at least 2-3 bytes of text;
    // a topology's average is ~7), so the arrays are not copied as they grow; pages never written cost nothing.
    doc_.text_.reserve(text.size());
    doc_.entries_.reserve(text.size() / 4);
    doc_.children_.reserve(text.size() / 4);
  }

  std::optional<YamlDocument> run() {
    EventReader reader(text_);
    if (!reader.initialized()) {
      diag_.error({1, 1}, "invalid YAML: the parser could not start (out of memory)");
      return std::nullopt;
    }
    int documents = 0;
    for (;;) {
      const yaml_event_t* e = reader.next();
      if (!e) {
        report_parse_error(reader.parser());
        return std::nullopt;
      }
      switch (e->type) {
        case YAML_STREAM_END_EVENT:
          return std::move(doc_);
        case YAML_DOCUMENT_START_EVENT:
          if (++documents > 1) {
            diag_.error(pos_of(e->start_mark), "expected a single YAML document, but another one starts here");
            return std::nullopt;
          }
          break;
        case YAML_SCALAR_EVENT:
          if (!scalar(*e)) return std::nullopt;
          break;
        case YAML_SEQUENCE_START_EVENT:
          if (!open(*e, Kind::list, e->data.sequence_start.anchor)) return std::nullopt;
          break;
        case YAML_MAPPING_START_EVENT:
          if (!open(*e, Kind::map, e->data.mapping_start.anchor)) return std::nullopt;
          break;
        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
          close();
          break;
        case YAML_ALIAS_EVENT:
          if (!alias(*e)) return std::nullopt;
          break;
        default:  // stream start, document end, no event
          break;
      }
    }
  }

 private:
  // An open list or mapping.
  struct Frame {
    std::uint32_t entry = 0;
    std::uint64_t weight_at_start = 0;  // weight_ when it opened: its own weight is the difference at its end
    std::string anchor;
  };

  std::uint32_t add_entry(const yaml_event_t& e, Kind kind) {
    YamlDocument::Entry entry;
    entry.kind = kind;
    entry.line = static_cast<std::uint32_t>(e.start_mark.line) + 1;
    entry.column = static_cast<std::uint32_t>(e.start_mark.column) + 1;
    doc_.entries_.push_back(entry);
    return static_cast<std::uint32_t>(doc_.entries_.size() - 1);
  }

  // Hands a finished node to the open list or mapping (or makes it the root).
  void attach(std::uint32_t index) {
    if (stack_.empty())
      doc_.root_ = index;
    else
      children_[stack_.size() - 1].push_back(index);
  }

  bool scalar(const yaml_event_t& e) {
    const auto& s = e.data.scalar;
    const std::string_view value(reinterpret_cast<const char*>(s.value), s.length);
    const std::string_view tag = text_of(s.tag);
    const bool string_tag = tag == "!" || tag == "tag:yaml.org,2002:str";
    const bool plain = s.style == YAML_PLAIN_SCALAR_STYLE && !string_tag;
    const std::uint32_t index = add_entry(e, plain && null_text(value) ? Kind::null : Kind::scalar);
    auto& entry = doc_.entries_[index];
    entry.plain = plain;
    entry.begin = static_cast<std::uint32_t>(doc_.text_.size());
    entry.count = static_cast<std::uint32_t>(value.size());
    doc_.text_.append(value);
    if (!grow(e, 1 + value.size())) return false;
    attach(index);
    remember(text_of(s.anchor), index, 1 + value.size());
    return true;
  }

  bool open(const yaml_event_t& e, Kind kind, const yaml_char_t* anchor) {
    if (static_cast<int>(stack_.size()) >= kMaxNesting) {
      diag_.error(where_next(e), path_of_next() + ": lists and mappings nested deeper than " +
                                     std::to_string(kMaxNesting) + " levels; a topology needs far fewer (an unclosed bracket?)");
      return false;
    }
    const std::uint32_t index = add_entry(e, kind);
    if (!grow(e, 1)) return false;
    stack_.push_back(Frame{index, weight_ - 1, std::string(text_of(anchor))});
    if (children_.size() < stack_.size()) children_.resize(stack_.size());
    children_[stack_.size() - 1].clear();
    return true;
  }

  void close() {
    if (stack_.empty()) return;  // libyaml pairs starts and ends; nothing to close is not reachable
    const Frame frame = std::move(stack_.back());
    std::vector<std::uint32_t>& kids = children_[stack_.size() - 1];
    auto& entry = doc_.entries_[frame.entry];
    entry.begin = static_cast<std::uint32_t>(doc_.children_.size());
    entry.count = static_cast<std::uint32_t>(kids.size());
    doc_.children_.insert(doc_.children_.end(), kids.begin(), kids.end());
    stack_.pop_back();
    attach(frame.entry);
    remember(frame.anchor, frame.entry, weight_ - frame.weight_at_start);
  }

  bool alias(const yaml_event_t& e) {
    const std::string_view name = text_of(e.data.alias.anchor);
    for (const Frame& f : stack_) {
      if (f.anchor != name) continue;
      const auto& target = doc_.entries_[f.entry];
      diag_.error(where_next(e), path_of_next() + ": an alias refers to a node that contains it (the one at line " +
                                     std::to_string(target.line) + ", column " + std::to_string(target.column) +
                                     "), a cycle that never ends; an alias may only name a node defined before "
                                     "it, outside it");
      return false;
    }
    const auto it = anchors_.find(std::string(name));
    if (it == anchors_.end()) {
      diag_.error(pos_of(e.start_mark), path_of_next() + ": alias '*" + std::string(name) +
                                            "' names no anchor; write '&" + std::string(name) +
                                            "' on a node before it");
      return false;
    }
    if (!grow(e, it->second.weight)) return false;
    attach(it->second.entry);
    return true;
  }

  void remember(std::string_view anchor, std::uint32_t entry, std::uint64_t weight) {
    if (!anchor.empty()) anchors_[std::string(anchor)] = Anchored{entry, weight};  // a later anchor replaces
  }

  // Adds to the expanded document's weight: each node and scalar byte once, plus, for an alias, all of what
  // it stands for (which already counts the aliases inside it).
  bool grow(const yaml_event_t& e, std::uint64_t weight) {
    weight_ += weight;
    if (weight_ <= budget_) return true;
    diag_.error(where_next(e), path_of_next() + ": aliases expand the document past " + std::to_string(budget_) +
                                   " nodes and scalar bytes (aliases inside aliases multiply: an alias bomb?); "
                                   "write the repeated parts out, or use fewer levels of aliases");
    return false;
  }

  // Where to point at the node the event makes: at its key when it is a mapping's value (an alias or an
  // empty value has no place of its own worth showing), else at the event.
  Pos where_next(const yaml_event_t& e) const {
    if (!stack_.empty() && doc_.entries_[stack_.back().entry].kind == Kind::map) {
      const auto& kids = children_[stack_.size() - 1];
      if (kids.size() % 2 == 1) {
        const auto& key = doc_.entries_[kids.back()];
        return {static_cast<int>(key.line), static_cast<int>(key.column)};
      }
    }
    return pos_of(e.start_mark);
  }

  // The path of the node the next event makes, as messages write it: "jobs[0].args.x".
  std::string path_of_next() const {
    std::string path;
    for (std::size_t depth = 0; depth < stack_.size(); ++depth) {
      const auto& kids = children_[depth];
      if (doc_.entries_[stack_[depth].entry].kind == Kind::list) {
        path.append("[").append(std::to_string(kids.size())).append("]");
        continue;
      }
      // In a mapping: the key being read names itself; a value is named by its key.
      const std::uint32_t key = kids.size() % 2 == 1 ? kids.back() : ~std::uint32_t{0};
      if (key == ~std::uint32_t{0}) break;  // the next node is a key; its mapping's path is the place
      const auto& k = doc_.entries_[key];
      const bool named = k.kind == Kind::scalar;
      path = child_path(path, named ? std::string_view(doc_.text_).substr(k.begin, k.count) : std::string_view("?"));
    }
    return label(path);
  }

  void report_parse_error(const yaml_parser_t& p) {
    if (p.error == YAML_MEMORY_ERROR) {
      diag_.error({1, 1}, "invalid YAML: out of memory while parsing");
      return;
    }
    std::string message = "invalid YAML: ";
    if (p.context) message.append(p.context).append(": ");
    message.append(p.problem ? p.problem : "malformed");
    // libyaml's words for text after the root node has ended (a stray ',' or ']', or a second root).
    if (p.problem && std::string_view(p.problem) == "did not find expected <document start>")
      message.append(" (text after the end of the document's root node)");
    // The reader (bad UTF-8, control characters) knows only the byte offset.
    const Pos pos = p.error == YAML_READER_ERROR ? pos_at(text_, p.problem_offset) : pos_of(p.problem_mark);
    diag_.error(pos, message);
  }

  struct Anchored {
    std::uint32_t entry = 0;
    std::uint64_t weight = 0;
  };

  Diagnostics& diag_;
  std::string_view text_;
  std::uint64_t budget_;
  std::uint64_t weight_ = 0;
  YamlDocument doc_;
  std::vector<Frame> stack_;
  std::vector<std::vector<std::uint32_t>> children_;  // per depth, reused: the open nodes' children so far
  std::unordered_map<std::string, Anchored> anchors_;
};

std::optional<YamlDocument> YamlDocument::parse(Diagnostics& diag, std::string_view text, std::uint64_t budget) {
  return YamlBuilder(diag, text, budget).run();
}

}  // namespace p3p::topology::detail
