// Compiles a parsed pattern into a Pike VM program (Thompson construction) and runs it:
// every search is O(program size x text length), with no backtracking. Syntax and limits
// are in bounded_regex.h; the parser is bounded_regex_parse.cpp.
#include "parcours/rules/bounded_regex.h"

#include <algorithm>
#include <string>
#include <utility>

#include "bounded_regex_parse.h"

namespace parcours::rules {

using regex_internal::CharSet;
using regex_internal::Node;

// Emits the program for a parsed pattern. A friend of BoundedRegex.
class RegexCompiler {
 public:
  RegexCompiler(std::string_view pattern, bool ignore_case) : p_(pattern), icase_(ignore_case) {}

  Result<BoundedRegex> Run() {
    if (p_.size() > kMaxRegexPatternBytes) {
      return Fail("the pattern is " + std::to_string(p_.size()) + " bytes; the limit is " +
                  std::to_string(kMaxRegexPatternBytes));
    }
    regex_internal::ParsedPattern parsed = regex_internal::ParsePattern(p_, icase_);
    if (!parsed.error.empty()) return Fail(parsed.error);
    nodes_ = std::move(parsed.nodes);
    BoundedRegex re;
    re_ = &re;
    Emit(parsed.root);
    Push({BoundedRegex::Inst::kMatch});
    if (too_big_) {
      return Fail("the pattern compiles to more than " + std::to_string(kMaxRegexProgram) +
                  " instructions (reduce counted repetition)");
    }
    const Node& top = nodes_[parsed.root];
    re.anchored_start_ = top.kind == Node::kBol || (top.kind == Node::kConcat && !top.kids.empty() &&
                                                      nodes_[top.kids[0]].kind == Node::kBol);
    ComputeFirstBytes(&re);
    return re;
  }

 private:
  Error Fail(const std::string& why) const {
    return MakeError(ErrorCode::kInvalidCondition,
                     "invalid regex /" + std::string(p_.substr(0, 80)) + "/: " + why);
  }

  // ---- Emission: Thompson construction into re_->program_. ----
  uint32_t Here() const { return static_cast<uint32_t>(re_->program_.size()); }
  void Push(BoundedRegex::Inst inst) {
    if (re_->program_.size() >= kMaxRegexProgram) {
      too_big_ = true;
      return;
    }
    re_->program_.push_back(inst);
  }
  uint32_t ClassIndex(const BoundedRegex::ByteSet& bits) {
    for (size_t i = 0; i < re_->classes_.size(); ++i) {
      if (re_->classes_[i] == bits) return static_cast<uint32_t>(i);
    }
    re_->classes_.push_back(bits);
    return static_cast<uint32_t>(re_->classes_.size() - 1);
  }
  void EmitRange(unsigned char lo, unsigned char hi) {
    CharSet set;
    set.AddRange(lo, hi);
    Push({BoundedRegex::Inst::kClass, 0, ClassIndex(set.bits)});
  }
  void Emit(int index) {
    if (too_big_) return;
    const Node& node = nodes_[index];
    switch (node.kind) {
      case Node::kEmpty: return;
      case Node::kByte: Push({BoundedRegex::Inst::kByte, node.byte}); return;
      case Node::kBol: Push({BoundedRegex::Inst::kBol}); return;
      case Node::kEol: Push({BoundedRegex::Inst::kEol}); return;
      case Node::kWordB: Push({BoundedRegex::Inst::kWordBoundary}); return;
      case Node::kNotWordB: Push({BoundedRegex::Inst::kNotWordBoundary}); return;
      case Node::kSet: {
        const uint32_t set = ClassIndex(node.set.bits);
        if (!node.set.non_ascii) {
          Push({BoundedRegex::Inst::kClass, 0, set});
          return;
        }
        Push({BoundedRegex::Inst::kUtf8, 0, set});
        for (int i = 0; i < 3; ++i) EmitRange(0x80, 0xBF);
        return;
      }
      case Node::kConcat:
        for (int kid : node.kids) Emit(kid);
        return;
      case Node::kAlt: {
        std::vector<uint32_t> exits;
        for (size_t i = 0; i < node.kids.size() && !too_big_; ++i) {
          const bool last = i + 1 == node.kids.size();
          const uint32_t split = Here();
          if (!last) Push({BoundedRegex::Inst::kSplit, 0, split + 1, 0});
          Emit(node.kids[i]);
          if (!last) {
            exits.push_back(Here());
            Push({BoundedRegex::Inst::kJump});
            if (!too_big_) re_->program_[split].y = Here();
          }
        }
        if (!too_big_) {
          for (uint32_t at : exits) re_->program_[at].x = Here();
        }
        return;
      }
      case Node::kRepeat: EmitRepeat(node.kids[0], node.min, node.max); return;
    }
  }

  void EmitRepeat(int kid, int min, int max) {
    for (int i = 0; i < min && !too_big_; ++i) Emit(kid);
    if (max < 0) {  // L: split L+1, out; kid; jump L; out:
      const uint32_t loop = Here();
      Push({BoundedRegex::Inst::kSplit, 0, loop + 1, 0});
      Emit(kid);
      Push({BoundedRegex::Inst::kJump, 0, loop});
      if (!too_big_) re_->program_[loop].y = Here();
      return;
    }
    std::vector<uint32_t> splits;  // Each optional copy may be skipped to the common exit.
    for (int i = min; i < max && !too_big_; ++i) {
      splits.push_back(Here());
      Push({BoundedRegex::Inst::kSplit, 0, Here() + 1, 0});
      Emit(kid);
    }
    if (too_big_) return;
    for (uint32_t at : splits) re_->program_[at].y = Here();
  }

  // Bytes that can start a match, found by following the empty transitions from the start.
  static void ComputeFirstBytes(BoundedRegex* re) {
    std::vector<uint8_t> seen(re->program_.size(), 0);
    std::vector<uint32_t> stack{0};
    BoundedRegex::ByteSet all;
    all.fill(~uint64_t{0});
    while (!stack.empty()) {
      const uint32_t pc = stack.back();
      stack.pop_back();
      if (seen[pc]) continue;
      seen[pc] = 1;
      const BoundedRegex::Inst& inst = re->program_[pc];
      switch (inst.op) {
        case BoundedRegex::Inst::kByte: re->first_bytes_[inst.byte >> 6] |= uint64_t{1} << (inst.byte & 63); break;
        case BoundedRegex::Inst::kClass:
          for (int i = 0; i < 4; ++i) re->first_bytes_[i] |= re->classes_[inst.x][i];
          break;
        case BoundedRegex::Inst::kUtf8:
          for (int i = 0; i < 4; ++i) re->first_bytes_[i] |= re->classes_[inst.x][i];
          for (int c = 0xC2; c <= 0xF4; ++c) re->first_bytes_[c >> 6] |= uint64_t{1} << (c & 63);
          break;
        case BoundedRegex::Inst::kSplit: stack.push_back(inst.y); stack.push_back(inst.x); break;
        case BoundedRegex::Inst::kJump: stack.push_back(inst.x); break;
        case BoundedRegex::Inst::kBol:
          if (re->anchored_start_) {
            stack.push_back(pc + 1);
            break;
          }
          re->first_bytes_ = all;
          return;
        default:  // An empty match or a position assertion: every position is a candidate.
          re->first_bytes_ = all;
          return;
      }
    }
  }

  std::string_view p_;
  bool icase_;
  std::vector<Node> nodes_;
  BoundedRegex* re_ = nullptr;
  bool too_big_ = false;
};

Result<BoundedRegex> BoundedRegex::Compile(std::string_view pattern, bool ignore_case) {
  return RegexCompiler(pattern, ignore_case).Run();
}

namespace {

bool IsWord(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}
bool InSet(const BoundedRegex::ByteSet& set, unsigned char c) { return (set[c >> 6] >> (c & 63)) & 1; }

// Programs this small keep their thread lists on the stack, so most searches do not allocate.
constexpr size_t kStackProgram = 128;

// A set of program counters, in insertion order, with O(1) membership through stamps.
struct ThreadList {
  uint32_t* pcs;
  uint32_t size = 0;
};

}  // namespace

bool BoundedRegex::Search(std::string_view text) const {
  const size_t n_prog = program_.size();
  if (n_prog == 0) return false;  // A default-constructed regex matches nothing.
  const size_t end = std::min(text.size(), kMaxRegexTextBytes);

  // Scratch: two lists, a stamp per pc (which list generation it was added to) and a stack
  // for following empty transitions (each pc expands once per list, pushing at most two).
  uint32_t local[kStackProgram * 5 + 2];
  std::vector<uint32_t> heap;
  uint32_t* scratch = local;
  if (n_prog > kStackProgram) {
    heap.resize(n_prog * 5 + 2);
    scratch = heap.data();
  }
  ThreadList lists[2] = {{scratch}, {scratch + n_prog}};
  uint32_t* stamps = scratch + 2 * n_prog;
  uint32_t* stack = scratch + 3 * n_prog;
  std::fill(stamps, stamps + n_prog, 0u);
  uint32_t generation = 1;

  // Adds pc and everything reachable from it without consuming a byte, at text offset `at`.
  // True when the match state is reached.
  auto add = [&](ThreadList* list, uint32_t start_pc, size_t at) {
    size_t top = 0;
    stack[top++] = start_pc;
    while (top > 0) {
      const uint32_t pc = stack[--top];
      if (stamps[pc] == generation) continue;
      stamps[pc] = generation;
      const Inst& inst = program_[pc];
      switch (inst.op) {
        case Inst::kByte:
        case Inst::kClass:
        case Inst::kUtf8: list->pcs[list->size++] = pc; break;
        case Inst::kMatch: return true;
        case Inst::kJump: stack[top++] = inst.x; break;
        case Inst::kSplit:
          stack[top++] = inst.y;
          stack[top++] = inst.x;
          break;
        case Inst::kBol:
          if (at == 0) stack[top++] = pc + 1;
          break;
        case Inst::kEol:
          if (at == text.size()) stack[top++] = pc + 1;  // Not at a 64 KiB cut.
          break;
        case Inst::kWordBoundary:
        case Inst::kNotWordBoundary: {
          const bool before = at > 0 && IsWord(static_cast<unsigned char>(text[at - 1]));
          const bool after = at < text.size() && IsWord(static_cast<unsigned char>(text[at]));
          // Between the bytes of one UTF-8 character is no position at all for JS.
          const bool inside_char = at < text.size() && (static_cast<unsigned char>(text[at]) & 0xC0) == 0x80;
          if ((before != after) == (inst.op == Inst::kWordBoundary) && !inside_char) stack[top++] = pc + 1;
          break;
        }
      }
    }
    return false;
  };

  ThreadList* current = &lists[0];
  ThreadList* next = &lists[1];
  for (size_t at = 0;; ++at) {
    if (current->size == 0) {
      if (anchored_start_ && at > 0) return false;
      // No live thread: jump to the next byte that can start a match.
      while (at < end && !InSet(first_bytes_, static_cast<unsigned char>(text[at]))) ++at;
    }
    if (!anchored_start_ || at == 0) {
      if (add(current, 0, at)) return true;
    }
    if (at >= end) return false;
    const auto c = static_cast<unsigned char>(text[at]);
    ++generation;
    next->size = 0;
    for (uint32_t i = 0; i < current->size; ++i) {
      const uint32_t pc = current->pcs[i];
      const Inst& inst = program_[pc];
      uint32_t to = pc + 1;
      if (inst.op == Inst::kByte) {
        if (inst.byte != c) continue;
      } else if (inst.op == Inst::kClass || c < 0x80) {
        if (!InSet(classes_[inst.x], c)) continue;
        if (inst.op == Inst::kUtf8) to = pc + 4;  // An ASCII character: skip the continuations.
      } else if (c >= 0xC2 && c <= 0xF4) {  // A lead byte: 1, 2 or 3 continuation bytes follow.
        to = pc + (c < 0xE0 ? 3 : c < 0xF0 ? 2 : 1);
      } else {
        continue;
      }
      if (add(next, to, at + 1)) return true;
    }
    std::swap(current, next);
  }
}

}  // namespace parcours::rules
