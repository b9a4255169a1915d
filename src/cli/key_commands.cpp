// `gridgov keys rotate --new-key-file F`: every encrypted value under the key of security.key_file
// encrypted again under F's key (made when F is missing), every lookup hash computed again; then
// the servers start with security.key_file = F. Run it with the servers stopped.
#include <fmt/format.h>

#include <filesystem>

#include "cli/commands.hpp"
#include "cli/runtime.hpp"
#include "events/action_chain.hpp"
#include "registry/key_rotation.hpp"

namespace gridgov::cli {

int run_rotate_key(const Settings& settings, const std::string& new_key_file) {
    if (!std::filesystem::exists(settings.key_file)) {
        fmt::print(stderr, "gridgov: the key file {} does not exist; nothing to rotate\n",
                   settings.key_file);
        return 1;
    }
    if (std::filesystem::exists(new_key_file) &&
        std::filesystem::equivalent(settings.key_file, new_key_file)) {
        fmt::print(stderr, "gridgov: the new key file is the current one\n");
        return 1;
    }
    Runtime runtime(settings, Runtime::KeyCheck::skip);
    const auto new_key = FieldCipher::from_key_file(new_key_file);
    // the action chains are signed under the key too: they must hold before anything changes
    if (const auto check = events::verify_chains(*runtime.db, *runtime.cipher);
        !check.broken.empty()) {
        fmt::print(stderr,
                   "gridgov: the action chains of {} event(s) do not hold (event {} first); run "
                   "gridgov audit verify; nothing was changed\n",
                   check.broken.size(), check.broken.front());
        return 1;
    }
    const auto done =
        registry::rotate_key(*runtime.db, *runtime.cipher, new_key,
                             [](std::string_view step) { fmt::print("  {}\n", step); });
    const auto chains = events::resign_chains(*runtime.db, *runtime.cipher, new_key);
    fmt::print("  {} actions of the event chains signed again\n", chains);
    fmt::print(
        "{} values encrypted again under {} ({} were already); start the servers with "
        "--key-file {} (security.key_file) and keep the old key file offline\n",
        done.values, new_key_file, done.already, new_key_file);
    return 0;
}

}  // namespace gridgov::cli
