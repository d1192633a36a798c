// A float64 sum that carries its rounding error (Neumaier's compensated summation),
// so totals do not drift with the number of additions or depend on how the data
// was split into batches.
#pragma once

#include <cmath>

namespace accumetrics {

struct CompensatedSum {
    double sum = 0.0;
    double error = 0.0;

    void add(double x) {
        double t = sum + x;
        // An infinite sum has no rounding error (inf - inf would make it NaN).
        if (std::isfinite(t)) error += std::abs(sum) >= std::abs(x) ? (sum - t) + x : (x - t) + sum;
        sum = t;
    }
    void add(const CompensatedSum& other) {
        add(other.sum);
        add(other.error);
    }
    double value() const { return sum + error; }

    // Adds a * b, with the rounding error of the product (fma gives it exactly).
    void add_product(double a, const CompensatedSum& b) {
        const double p = a * b.sum;
        add(p);
        add(std::fma(a, b.sum, -p));
        add(a * b.error);
    }
};

}  // namespace accumetrics
