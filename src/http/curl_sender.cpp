#include "http/curl_sender.hpp"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdint>
#include <cstring>

#include <mutex>
#include <stdexcept>

namespace gridgov::http {

namespace {

// the answer's body is not needed; read it so that the connection can be reused
std::size_t discard(char*, std::size_t size, std::size_t count, void*) {
    return size * count;
}

bool internal_v4(std::uint32_t host_order) {
    const std::uint32_t a = host_order >> 24;
    return a == 127 || a == 0 || (host_order >> 16) == 0xA9FE /* 169.254/16 */ ||
           (a >= 224 && a <= 239);
}

// opens the socket only for addresses a webhook may reach
curl_socket_t open_checked(void* allow_internal, curlsocktype, struct curl_sockaddr* address) {
    if (!*static_cast<bool*>(allow_internal) && is_internal_address(&address->addr))
        return CURL_SOCKET_BAD;
    return ::socket(address->family, address->socktype, address->protocol);
}

}  // namespace

bool is_internal_address(const struct sockaddr* address) {
    if (address->sa_family == AF_INET) {
        const auto* in = reinterpret_cast<const sockaddr_in*>(address);
        return internal_v4(ntohl(in->sin_addr.s_addr));
    }
    if (address->sa_family == AF_INET6) {
        const auto* in6 = reinterpret_cast<const sockaddr_in6*>(address);
        const auto& a = in6->sin6_addr;
        if (IN6_IS_ADDR_LOOPBACK(&a) || IN6_IS_ADDR_UNSPECIFIED(&a) || IN6_IS_ADDR_LINKLOCAL(&a) ||
            IN6_IS_ADDR_MULTICAST(&a))
            return true;
        if (IN6_IS_ADDR_V4MAPPED(&a)) {
            std::uint32_t v4 = 0;
            std::memcpy(&v4, a.s6_addr + 12, 4);
            return internal_v4(ntohl(v4));
        }
        return false;
    }
    return true;  // anything but IP is not a webhook's
}

CurlSender::CurlSender(bool allow_internal_targets) : allow_internal_(allow_internal_targets) {
    static std::once_flag global;
    std::call_once(global, [] { curl_global_init(CURL_GLOBAL_DEFAULT); });
    curl_ = curl_easy_init();
    if (!curl_) throw std::runtime_error("cannot start libcurl");
}

CurlSender::~CurlSender() {
    curl_easy_cleanup(static_cast<CURL*>(curl_));
}

events::WebhookSender::Result CurlSender::post(
    const std::string& url, const std::vector<std::pair<std::string, std::string>>& headers,
    const std::string& body, std::chrono::milliseconds timeout) {
    CURL* curl = static_cast<CURL*>(curl_);
    curl_easy_reset(curl);
    curl_slist* list = nullptr;
    for (const auto& [name, value] : headers)
        list = curl_slist_append(list, (name + ": " + value).c_str());
    list = curl_slist_append(list, "Expect:");  // send the body at once, without 100-continue
    char error[CURL_ERROR_SIZE] = {};
    curl_easy_setopt(curl, CURLOPT_URL, url.c_str());
    curl_easy_setopt(curl, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(curl, CURLOPT_POST, 1L);
    curl_easy_setopt(curl, CURLOPT_POSTFIELDS, body.data());
    curl_easy_setopt(curl, CURLOPT_POSTFIELDSIZE_LARGE, static_cast<curl_off_t>(body.size()));
    curl_easy_setopt(curl, CURLOPT_HTTPHEADER, list);
    curl_easy_setopt(curl, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(curl, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(timeout.count()));
    curl_easy_setopt(curl, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(curl, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(curl, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(curl, CURLOPT_ERRORBUFFER, error);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETFUNCTION, open_checked);
    curl_easy_setopt(curl, CURLOPT_OPENSOCKETDATA, &allow_internal_);
    const CURLcode rc = curl_easy_perform(curl);
    curl_slist_free_all(list);
    Result out;
    if (rc != CURLE_OK) {
        out.error = error[0] ? error : curl_easy_strerror(rc);
        return out;
    }
    long status = 0;
    curl_easy_getinfo(curl, CURLINFO_RESPONSE_CODE, &status);
    out.status = static_cast<int>(status);
    return out;
}

}  // namespace gridgov::http
