// Tests of src/registry: identity numbers (GB 11643) checked, read and masked.
#include <gtest/gtest.h>

#include "registry/identity_number.hpp"

using namespace gridgov::registry;

namespace {
constexpr int kToday = 20261122;
}

TEST(IdentityNumber, ReadsBirthDateAndGenderFromAValidNumber) {
    const auto man = parse_identity_number("320115199003071230", kToday);
    ASSERT_TRUE(man.value) << man.problem;
    EXPECT_EQ(man.value->division_code, "320115");
    EXPECT_EQ(man.value->birth_year, 1990);
    EXPECT_EQ(man.value->birth_month, 3);
    EXPECT_EQ(man.value->birth_day, 7);
    EXPECT_EQ(man.value->gender, 'M');                                       // 17th digit 3: odd
    const auto woman = parse_identity_number("320115200002290023", kToday);  // a leap day
    ASSERT_TRUE(woman.value) << woman.problem;
    EXPECT_EQ(woman.value->gender, 'F');
    // the check character X, written small, and spaces as people write them
    const auto x = parse_identity_number("110105 19491231 002x", kToday);
    ASSERT_TRUE(x.value) << x.problem;
    EXPECT_EQ(x.value->number, "11010519491231002X");
}

TEST(IdentityNumber, ConvertsTheOldFifteenDigitNumbers) {
    const auto old = parse_identity_number("320115850101123", kToday);
    ASSERT_TRUE(old.value) << old.problem;
    EXPECT_EQ(old.value->number, "320115198501011236");
    EXPECT_EQ(old.value->birth_year, 1985);
}

TEST(IdentityNumber, NamesWhatIsWrong) {
    const auto problem = [](const char* text) {
        const auto r = parse_identity_number(text, kToday);
        EXPECT_FALSE(r.value) << text;
        return r.problem;
    };
    EXPECT_NE(problem("320115199003071231").find("校验码"), std::string::npos);  // one digit off
    EXPECT_NE(problem("320115199003171230").find("校验码"), std::string::npos);  // two swapped
    EXPECT_NE(problem("32011519900307123").find("18 位"), std::string::npos);
    EXPECT_NE(problem("32011519900307123A").find("X"), std::string::npos);
    EXPECT_NE(problem("320115199002301235").find("出生日期"), std::string::npos);  // 30 February
    EXPECT_NE(problem("320115190002290014").find("出生日期"), std::string::npos);  // 1900 not leap
    EXPECT_NE(problem("320115203001011232").find("出生日期"), std::string::npos);  // the future
    EXPECT_NE(problem("020115199003071230").find("行政区划"), std::string::npos);
    EXPECT_FALSE(parse_identity_number("", kToday).value);
}

TEST(IdentityNumber, CheckCharacterFollowsIso7064) {
    EXPECT_EQ(identity_check_character("11010519491231002"), 'X');
    EXPECT_EQ(identity_check_character("44030719851101561"), '8');
}

TEST(IdentityNumber, MasksAllButTheFirstAndLastFour) {
    EXPECT_EQ(mask_identity_number("320115199003071230"), "3201**********1230");
    EXPECT_EQ(mask_identity_number("1234"), "****");
}
