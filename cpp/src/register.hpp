// One registration function per concept, called from module.cpp.
#pragma once

#include <pybind11/pybind11.h>

namespace accumetrics::python {

void register_confusion(pybind11::module_& m);
void register_thresholds(pybind11::module_& m);
void register_moments(pybind11::module_& m);
void register_ranking(pybind11::module_& m);
void register_bootstrap(pybind11::module_& m);
void register_losses(pybind11::module_& m);
void register_refinement(pybind11::module_& m);
void register_paired(pybind11::module_& m);
void register_class_scores(pybind11::module_& m);

}  // namespace accumetrics::python
