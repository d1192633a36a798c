// Reading and restoring a CountTable as numpy arrays (for results and pickling), and
// the methods of a class around one.
#pragma once

#include <algorithm>
#include <vector>

#include <accumetrics/count_table.hpp>

#include "arrays.hpp"

namespace accumetrics::python {

inline py::array_t<std::int64_t> table_counts(const CountTable& table, std::vector<py::ssize_t> shape) {
    py::array_t<std::int64_t> out(shape);
    std::copy_n(table.counts(), table.cells(), out.mutable_data());
    return out;
}

inline py::object table_sums(const CountTable& table, std::vector<py::ssize_t> shape) {
    if (!table.weighted()) return py::none();
    py::array_t<double> out(shape);
    std::copy_n(table.sums(), table.cells(), out.mutable_data());
    return std::move(out);
}

inline void restore_table(CountTable& table, const py::array_t<std::int64_t, py::array::c_style | py::array::forcecast>& counts,
                          const py::object& sums) {
    if (counts.size() != table.cells()) throw py::value_error("state does not match the accumulator's shape");
    table.reset();
    std::copy_n(counts.data(), table.cells(), table.counts());
    if (sums.is_none()) return;
    auto s = sums.cast<py::array_t<double, py::array::c_style | py::array::forcecast>>();
    if (s.size() != table.cells()) throw py::value_error("state does not match the accumulator's shape");
    table.enable_weights();
    std::copy_n(s.data(), table.cells(), table.sums());
}

// Registers `num_slices`, `weighted`, `counts` and `sums` on a class of Guarded<Core>,
// Core an engine around a CountTable whose cells `shape(core)` lays out.
template <class Core>
void def_table(py::class_<Guarded<Core>>& cls, std::vector<py::ssize_t> (*shape)(const Core&)) {
    using G = Guarded<Core>;
    cls.def_property_readonly("num_slices", [](const G& g) { return g.core.num_slices(); })
        .def_property_readonly("weighted", [](const G& g) { return g.read([](const Core& c) { return c.table().weighted(); }); })
        .def("counts", [shape](const G& g) { return g.read([&](const Core& c) { return table_counts(c.table(), shape(c)); }); })
        .def("sums", [shape](const G& g) { return g.read([&](const Core& c) { return table_sums(c.table(), shape(c)); }); });
}

}  // namespace accumetrics::python
