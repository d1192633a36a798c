// The C++ kernels alone, one thread, against the ceilings of this machine (reading the
// input, a bare scatter into a table), and the input checks that run as separate passes.
//
//   g++ -std=c++17 -O3 -ffp-contract=off -fopenmp -fopenmp-simd -Icpp/include bench/kernels.cpp -o /tmp/kernels
//   /tmp/kernels [samples]        # default 2,000,000
//
// Add compiler flags to the first line to see their effect. Rates use the thread's CPU
// time (best of 11), so a shared machine disturbs them less than it does wall time.
#include <accumetrics/all.hpp>

#include <time.h>

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <random>
#include <vector>

using namespace accumetrics;

namespace {

double cpu_seconds() {
    timespec t;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + 1e-9 * double(t.tv_nsec);
}

volatile double sink;

template <class F>
void report(const char* what, index_t n, F&& f) {
    double best = 1e30;
    for (int r = 0; r < 11; ++r) {
        const double start = cpu_seconds();
        f();
        best = std::min(best, cpu_seconds() - start);
    }
    std::printf("%-48s %7.0f M samples/s\n", what, double(n) / best / 1e6);
}

constexpr const float* no_weight = nullptr;

}  // namespace

int main(int argc, char** argv) {
    set_num_threads(1);
    const index_t n = argc > 1 ? std::atoll(argv[1]) : 2000000;
    std::mt19937_64 gen(1);
    std::uniform_real_distribution<float> unit(0.f, 1.f);

    std::puts("-- binary counts at 200 thresholds (float32 scores)");
    std::vector<float> score(n), label(n);
    std::vector<std::uint8_t> label8(n);
    for (index_t i = 0; i < n; ++i) {
        const bool positive = unit(gen) < 0.3f;
        label[i] = positive;
        label8[i] = positive;
        score[i] = 0.7f * unit(gen) + 0.3f * float(positive);
    }
    report("read scores and float32 labels", n, [&] {
        float a = 0;
        for (index_t i = 0; i < n; ++i) a += score[i] + label[i];
        sink = a;
    });
    report("check: float32 labels in {0, 1}", n, [&] { sink = double(first_label_out_of_range(label.data(), n, 2)); });
    report("check: finite scores", n, [&] { sink = double(first_non_finite(score.data(), n)); });
    std::vector<double> even(200), uneven(200);
    for (int k = 0; k < 200; ++k) even[k] = k / 199.0;
    for (double& t : uneven) t = unit(gen);
    std::sort(uneven.begin(), uneven.end());
    ThresholdCounts even_counts(even), uneven_counts(uneven);
    report("ThresholdCounts::add, even, float32 labels", n, [&] { even_counts.add(label.data(), score.data(), no_weight, nullptr, n); });
    report("ThresholdCounts::add, even, uint8 labels", n, [&] { even_counts.add(label8.data(), score.data(), no_weight, nullptr, n); });
    report("ThresholdCounts::add, uneven, float32 labels", n, [&] { uneven_counts.add(label.data(), score.data(), no_weight, nullptr, n); });
    {
        std::vector<std::int32_t> cell(n);
        for (index_t i = 0; i < n; ++i) cell[i] = std::int32_t(score[i] * 199.99f) * 2 + std::int32_t(label[i]);
        std::vector<std::int64_t> table(402);
        report("ceiling: scatter into 402 int64 cells", n, [&] {
            for (index_t i = 0; i < n; ++i) table[cell[i]] += 1;
        });
        sink = double(table[0]);
    }

    std::puts("-- confusion matrix, 150 classes (int64 labels)");
    std::uniform_int_distribution<std::int64_t> cls(0, 149);
    std::vector<std::int64_t> truth(n), pred(n);
    for (index_t i = 0; i < n; ++i) {
        truth[i] = cls(gen);
        pred[i] = unit(gen) < 0.7f ? truth[i] : cls(gen);
    }
    report("read both label arrays", n, [&] {
        std::int64_t a = 0;
        for (index_t i = 0; i < n; ++i) a += truth[i] + pred[i];
        sink = double(a);
    });
    report("check: both label arrays in [0, 150)", n, [&] {
        sink = double(first_label_out_of_range(truth.data(), n, 150) + first_label_out_of_range(pred.data(), n, 150));
    });
    ConfusionMatrix confusion(150);
    report("ConfusionMatrix::add", n, [&] { confusion.add(truth.data(), pred.data(), no_weight, nullptr, n); });
    {
        std::vector<std::int64_t> cell(n), table(22500);
        for (index_t i = 0; i < n; ++i) cell[i] = truth[i] * 150 + pred[i];
        report("ceiling: scatter into 22,500 int64 cells", n, [&] {
            for (index_t i = 0; i < n; ++i) table[cell[i]] += 1;
        });
        sink = double(table[0]);
    }

    std::puts("-- moments (8 sums)");
    std::normal_distribution<double> noise(0.0, 0.1);
    std::vector<double> x64(n), y64(n);
    std::vector<float> x32(n), y32(n);
    for (index_t i = 0; i < n; ++i) {
        y64[i] = unit(gen);
        x64[i] = y64[i] + noise(gen);
        x32[i] = float(x64[i]);
        y32[i] = float(y64[i]);
    }
    Moments m32, m64;
    report("check: finite, both float32 arrays", n, [&] { sink = double(first_non_finite(x32.data(), n) + first_non_finite(y32.data(), n)); });
    report("Moments::add, float32", n, [&] { m32.add(x32.data(), y32.data(), no_weight, nullptr, n); });
    report("Moments::add, float64", n, [&] { m64.add(x64.data(), y64.data(), no_weight, nullptr, n); });
    report("ceiling: sum of |x - y|, float64, one pass", n, [&] {
        double a = 0;
#pragma omp simd reduction(+ : a)
        for (index_t i = 0; i < n; ++i) a += std::abs(x64[i] - y64[i]);
        sink = a;
    });
}
