#pragma once
// A result document's learning curve (one value per epoch) as a small self-contained SVG: axes, the curve,
// the title. Written by hand (no plotting dependency) for `p3pctl experiment results NAME --plot`.
//
// The vertical axis is in the curve's unit (the document's "curve_unit"). A baseline is drawn on it as a
// dashed line only when the document gives it that same unit ("baseline_units"); every other baseline - in
// another unit (an F1 or a latency beside a ROC-area curve), not a single number, or of a document that
// states no units (those written before the units were added) - is listed as text under the plot, with its
// unit, so nothing in the picture claims a comparison the document does not make.
#include <string>

#include <nlohmann/json.hpp>

namespace p3p::cli {

std::string learning_curve_svg(const nlohmann::json& result_document);

}  // namespace p3p::cli
