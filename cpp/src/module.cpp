#include <pybind11/pybind11.h>

#include <cstdlib>
#include <string>

#include <accumetrics/config.hpp>
#include <accumetrics/parallel.hpp>

#include "register.hpp"

namespace py = pybind11;

PYBIND11_MODULE(_core, m) {
    m.doc() = "The accumetrics C++ core: confusion matrices, threshold counts and moments.";
    if (const char* cap = std::getenv("ACCUMETRICS_ISA")) {
        const std::string value = cap;
        if (value != "baseline" && value != "avx2" && value != "avx512f")
            throw py::value_error("ACCUMETRICS_ISA=" + value + " is not an instruction set the kernels are built for: "
                                  "use baseline, avx2 or avx512f (or unset it to use the widest the CPU has)");
    }
    m.attr("kernel_isa") = accumetrics::kernel_isa();
    m.def("get_num_threads", &accumetrics::get_num_threads, "Threads the core uses for large inputs.");
    m.def("set_num_threads", &accumetrics::set_num_threads, py::arg("n"),
          "Set the threads the core uses for large inputs; n <= 0 means all processors.");
    m.def("hardware_threads", &accumetrics::hardware_threads, "Processors available to OpenMP (1 without OpenMP).");
#ifdef _OPENMP
    m.attr("openmp") = true;
#else
    m.attr("openmp") = false;
#endif
    accumetrics::python::register_confusion(m);
    accumetrics::python::register_thresholds(m);
    accumetrics::python::register_moments(m);
    accumetrics::python::register_ranking(m);
    accumetrics::python::register_bootstrap(m);
    accumetrics::python::register_losses(m);
    accumetrics::python::register_refinement(m);
    accumetrics::python::register_paired(m);
    accumetrics::python::register_class_scores(m);
}
