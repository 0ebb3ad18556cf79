#include "jobs/preview_process.h"

#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>

#include <thread>
#include <vector>

#include "core/error.h"
#include "instance/data_dir.h"

extern char** environ;

namespace lontar {

namespace {
Error failed(const std::string& why) {
  return Error(ErrorKind::invalid_input, "preview_failed", "The document's pages could not be drawn: " + why + ".");
}

// A private folder (0700) for one rendering, removed with everything in it.
class ScratchFolder final {
 public:
  ScratchFolder() {
    auto pattern = (std::filesystem::temp_directory_path() / "lontar-previews-XXXXXX").string();
    if (!::mkdtemp(pattern.data()))
      throw Error(ErrorKind::unavailable, "preview_scratch", "No temporary folder for page previews.");
    path_ = pattern;
  }
  ~ScratchFolder() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }
  ScratchFolder(const ScratchFolder&) = delete;
  ScratchFolder& operator=(const ScratchFolder&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  std::filesystem::path path_;
};

// Runs `arguments` and waits at most `limit` (or until `stop` is set); a child past it is killed.
int run_limited(const std::vector<std::string>& arguments, std::chrono::seconds limit, const std::atomic<bool>* stop) {
  std::vector<char*> argv;
  for (const auto& argument : arguments) argv.push_back(const_cast<char*>(argument.c_str()));
  argv.push_back(nullptr);
  pid_t child = 0;
  if (::posix_spawn(&child, argv[0], nullptr, nullptr, argv.data(), environ) != 0)
    throw Error(ErrorKind::unavailable, "preview_spawn", "Could not start the preview process.");
  const auto deadline = std::chrono::steady_clock::now() + limit;
  int status = 0;
  for (auto pause = std::chrono::milliseconds(2);; pause = std::min(pause * 2, std::chrono::milliseconds(100))) {
    const auto done = ::waitpid(child, &status, WNOHANG);
    if (done == child) break;
    if (done < 0) throw Error(ErrorKind::unavailable, "preview_wait", "Lost the preview process.");
    if (stop && stop->load()) {
      ::kill(child, SIGKILL);
      ::waitpid(child, &status, 0);
      throw Error(ErrorKind::unavailable, "preview_stopped", "The server is stopping; the previews are drawn later.");
    }
    if (std::chrono::steady_clock::now() >= deadline) {
      ::kill(child, SIGKILL);
      ::waitpid(child, &status, 0);
      throw failed("it took longer than " + std::to_string(limit.count()) + " s");
    }
    std::this_thread::sleep_for(pause);
  }
  if (WIFSIGNALED(status)) throw failed("the renderer stopped on signal " + std::to_string(WTERMSIG(status)));
  return WEXITSTATUS(status);
}
}  // namespace

PreviewRenderer isolated_renderer(PreviewIsolation isolation) {
  return [isolation](std::string_view pdf, const pdf::PreviewSize& size,
                     const std::function<void(int page, std::string png)>& keep) {
    const ScratchFolder scratch;
    const auto in = scratch.path() / "document.pdf";
    write_file(in, std::string(pdf), true);
    const int status = run_limited({isolation.executable.string(), "render-previews", "--in", in.string(), "--out",
                                    scratch.path().string(), "--width", std::to_string(size.width), "--max-pages",
                                    std::to_string(size.max_pages), "--cpu-seconds",
                                    std::to_string(isolation.time_limit.count()), "--memory-mib",
                                    std::to_string(isolation.memory_mib)},
                                   isolation.time_limit, isolation.stop.get());
    if (status != 0) throw failed("the renderer refused it (exit " + std::to_string(status) + ")");
    int pages = 0;
    for (int page = 1; page <= size.max_pages; ++page) {
      const auto png = scratch.path() / (std::to_string(page) + ".png");
      std::error_code missing;
      if (!std::filesystem::exists(png, missing)) break;
      keep(page, read_file(png));
      pages = page;
    }
    return pages;
  };
}

}  // namespace lontar
