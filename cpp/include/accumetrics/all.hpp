// The whole accumetrics core.
#pragma once

#include "checks.hpp"
#include "class_scores.hpp"
#include "confusion.hpp"
#include "losses.hpp"
#include "moments.hpp"
#include "parallel.hpp"
#include "thresholds.hpp"
