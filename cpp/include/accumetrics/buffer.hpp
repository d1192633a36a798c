// Uninitialised scratch arrays, aligned to cache lines. On Linux the large ones are
// backed by transparent huge pages (as numpy's own arrays are): touching 80 MB of
// fresh memory then costs 40 page faults instead of 20,000, several times faster.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdlib>
#include <memory>
#include <new>
#include <type_traits>

#if defined(__linux__)
#include <sys/mman.h>
#endif

namespace accumetrics {

template <class T>
class Buffer {
    static_assert(std::is_trivially_copyable_v<T> && std::is_trivially_destructible_v<T>);

public:
    Buffer() = default;

    explicit Buffer(std::size_t n) {
        constexpr std::size_t huge_page = std::size_t(2) << 20;
        std::size_t bytes = std::max<std::size_t>(n, 1) * sizeof(T);
        void* p;
        if (bytes >= 2 * huge_page) {
            bytes = (bytes + huge_page - 1) / huge_page * huge_page;
            p = std::aligned_alloc(huge_page, bytes);
#if defined(__linux__) && defined(MADV_HUGEPAGE)
            if (p) madvise(p, bytes, MADV_HUGEPAGE);
#endif
        } else {
            p = std::aligned_alloc(64, (bytes + 63) / 64 * 64);  // whole cache lines
        }
        if (!p) throw std::bad_alloc();
        data_.reset(static_cast<T*>(p));
    }

    T* get() const { return data_.get(); }
    T& operator[](std::size_t i) const { return data_[i]; }

private:
    struct Free {
        void operator()(T* p) const noexcept { std::free(p); }
    };
    std::unique_ptr<T[], Free> data_;
};

}  // namespace accumetrics
