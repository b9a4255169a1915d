// The unit tests' main: libsodium must be initialised before any test runs.
#include <gtest/gtest.h>
#include <spdlog/spdlog.h>

#include "core/crypto.hpp"

int main(int argc, char** argv) {
    gridgov::init_crypto();
    spdlog::set_level(spdlog::level::warn);
    ::testing::InitGoogleTest(&argc, argv);
    return RUN_ALL_TESTS();
}
