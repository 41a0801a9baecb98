#pragma once
// A learning curve (score per epoch) as a small self-contained SVG: axes, the curve, a dashed line per
// baseline, the title. Written by hand (no plotting dependency) for `p3pctl experiment results NAME --plot`.
#include <map>
#include <string>
#include <vector>

namespace p3p::cli {

std::string learning_curve_svg(const std::string& title, const std::vector<double>& curve, const std::map<std::string, double>& baselines);

}  // namespace p3p::cli
