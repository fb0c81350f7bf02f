#include "pgcpp/core/operation.h"

#include <new>

namespace pgcpp::internal {

namespace {

constexpr std::size_t kGranule = 64;  // size classes of 64 bytes ...
constexpr std::size_t kClasses = 32;  // ... up to 2 KiB; larger frames are not cached
constexpr int kKeepPerClass = 16;     // enough for the deepest operation nesting

struct Cache {
  void* blocks[kClasses][kKeepPerClass];
  int count[kClasses] = {};
  bool alive = true;

  ~Cache() {
    for (std::size_t c = 0; c < kClasses; ++c) {
      while (count[c] > 0) ::operator delete(blocks[c][--count[c]]);
    }
    alive = false;  // frames freed later in this thread's exit go straight to the heap
  }
};

thread_local Cache cache;

// The size class of `size` (1-based), or 0 when it is not cached.
std::size_t size_class(std::size_t size) {
  std::size_t c = (size + kGranule - 1) / kGranule;
  return c <= kClasses ? c : 0;
}

}  // namespace

void* FrameCache::allocate(std::size_t size) {
  std::size_t c = size_class(size);
  if (c == 0) return ::operator new(size);
  if (cache.alive && cache.count[c - 1] > 0) return cache.blocks[c - 1][--cache.count[c - 1]];
  return ::operator new(c* kGranule);
}

void FrameCache::deallocate(void* frame, std::size_t size) noexcept {
  std::size_t c = size_class(size);
  if (c != 0 && cache.alive && cache.count[c - 1] < kKeepPerClass) {
    cache.blocks[c - 1][cache.count[c - 1]++] = frame;
    return;
  }
  ::operator delete(frame);
}

}  // namespace pgcpp::internal
