# Writes OUT, a C++ file defining `std::string_view NAMESPACE::FUNCTION()` that returns the text
# of INPUT. Run by the build whenever INPUT changes.
file(READ "${INPUT}" text)
set(body "// Generated from ${INPUT_NAME} by cmake/embed_file.cmake. Do not edit.\n#include <string_view>\n\n")
string(APPEND body "namespace ${NAMESPACE} {\n\nstd::string_view ${FUNCTION}() {\n    static const char text[] = R\"gridgov_embed(${text})gridgov_embed\";\n    return std::string_view(text, sizeof text - 1);\n}\n\n}  // namespace ${NAMESPACE}\n")
file(WRITE "${OUT}.tmp" "${body}")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
