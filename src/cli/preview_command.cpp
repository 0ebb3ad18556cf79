// `lontar render-previews`: draws a PDF's page previews in a process of its own, under
// CPU and memory limits, so a document that makes poppler crash, loop or swell costs
// only this process. `lontar serve` runs it for every registered document; it is not
// meant to be typed by hand (hence hidden from --help).
#include <sys/resource.h>

#include <fstream>
#include <iostream>

#include "cli/commands.h"
#include "core/error.h"
#include "instance/data_dir.h"
#include "pdf/page_previews.h"

namespace lontar::cli {

namespace {
struct PreviewOptions {
  std::filesystem::path in, out;
  int width = 800;
  int max_pages = 50;
  int cpu_seconds = 30;
  int memory_mib = 1024;
};

void limit(int resource, rlim_t value) {
  const rlimit limit{value, value};
  if (::setrlimit(resource, &limit) != 0)
    throw Error(ErrorKind::internal, "rlimit_failed", "Could not limit the preview process.");
}

void render(const PreviewOptions& o) {
  limit(RLIMIT_CPU, static_cast<rlim_t>(o.cpu_seconds));
#if !defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer reserves terabytes of address space; the test build goes without.
  limit(RLIMIT_AS, static_cast<rlim_t>(o.memory_mib) * 1024 * 1024);
#endif
  limit(RLIMIT_CORE, 0);
  const auto pdf = read_file(o.in);
  const int pages = pdf::render_page_previews(pdf, {o.width, o.max_pages}, [&](int page, std::string png) {
    write_file(o.out / (std::to_string(page) + ".png"), png, false);
  });
  std::cout << pages << "\n";
}
}  // namespace

void add_preview_command(CLI::App& app) {
  auto options = std::make_shared<PreviewOptions>();
  auto* command = app.add_subcommand("render-previews", "")->group("");  // internal: run by `lontar serve`
  command->add_option("--in", options->in)->required();
  command->add_option("--out", options->out)->required();
  command->add_option("--width", options->width)->check(CLI::Range(100, 4000));
  command->add_option("--max-pages", options->max_pages)->check(CLI::Range(1, 10000));
  command->add_option("--cpu-seconds", options->cpu_seconds)->check(CLI::Range(1, 3600));
  command->add_option("--memory-mib", options->memory_mib)->check(CLI::Range(64, 65536));
  command->callback([options] { render(*options); });
}

}  // namespace lontar::cli
