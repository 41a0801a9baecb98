#include "experiments/result_store.hpp"

#include <chrono>

#include "client/experiment_results.hpp"
#include "nodes/persistence/file_ops.hpp"

namespace p3p::experiments {

Expected<std::string, Error> write_result(const std::filesystem::path& dir, const nlohmann::json& document) {
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec) return unexpected(Error{ErrorCode::io_error, "cannot make the results dir " + dir.string() + ": " + ec.message()});
  const std::string text = document.dump(2) + "\n";
  const bus::ByteView bytes = bus::as_bytes(text);
  const auto ms = static_cast<std::uint64_t>(
      std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::system_clock::now().time_since_epoch()).count());
  std::string last_error;
  for (unsigned n = 0; n < 100; ++n) {  // -n only when runs end in the same millisecond
    const std::string name = control::result_file_name(document.at("experiment").get<std::string>(), ms, n);
    auto written = persistence::write_atomically(persistence::posix_file_ops(), dir / name, bytes, false);
    if (written) return name;
    last_error = written.error();
    if (!std::filesystem::exists(dir / name, ec)) break;  // failed for another reason than a name taken
  }
  return unexpected(Error{ErrorCode::io_error, "cannot write the result into " + dir.string() + ": " + last_error});
}

}  // namespace p3p::experiments
