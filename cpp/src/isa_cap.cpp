// ACCUMETRICS_ISA=baseline or =avx2 caps the clone the kernels' resolvers choose.
//
// GCC's target_clones resolvers run while the module is being relocated, after calling libgcc's
// __cpu_indicator_init to fill in the CPU features they test. The module is linked with
// --wrap=__cpu_indicator_init, so that call lands here, and the features above the cap are cleared
// before any resolver reads them. The features live in the module's own copy of libgcc's data
// (linked statically, hidden): nothing else in the process sees them. This runs before the module's
// calls into other libraries are bound, so it calls none (not even getenv); it is compiled without
// LTO so that its view of libgcc's struct stays its own.
extern "C" char** environ;

// libgcc's CPU model (a stable layout: libgcc_s exports it) and the feature bits of the clones.
struct __processor_model {
    unsigned int __cpu_vendor, __cpu_type, __cpu_subtype;
    unsigned int __cpu_features[1];
};
extern "C" __processor_model __cpu_model;
extern "C" __attribute__((visibility("hidden"))) int __real___cpu_indicator_init();

namespace {
constexpr unsigned int avx2 = 1u << 10, avx512f = 1u << 15;

const char* environment(const char* name) {
    for (char** entry = environ; entry && *entry; ++entry) {
        const char *e = *entry, *n = name;
        while (*n && *e == *n) ++e, ++n;
        if (!*n && *e == '=') return e + 1;
    }
    return nullptr;
}

bool equal(const char* a, const char* b) {
    while (*a && *a == *b) ++a, ++b;
    return *a == *b;
}
}  // namespace

extern "C" __attribute__((visibility("hidden"))) int __wrap___cpu_indicator_init() {
    const int status = __real___cpu_indicator_init();
    if (const char* cap = environment("ACCUMETRICS_ISA")) {
        if (equal(cap, "baseline")) __cpu_model.__cpu_features[0] &= ~(avx2 | avx512f);
        if (equal(cap, "avx2")) __cpu_model.__cpu_features[0] &= ~avx512f;
    }
    return status;
}
