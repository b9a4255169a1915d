// Sends webhook deliveries over HTTP and HTTPS with libcurl: one POST at a time, certificates
// verified, no redirects followed, a deadline for the whole exchange. One instance per sending
// thread (it keeps its connection open between deliveries).
#pragma once

#include <sys/socket.h>

#include "events/webhooks.hpp"

namespace gridgov::http {

// Unless `allow_internal_targets`, a delivery never connects to a loopback, link-local,
// unspecified or multicast address (the cloud's metadata service, the server's own ports):
// the address is checked when the connection opens, after the name was resolved, so a name
// that resolves differently later is caught too.
class CurlSender : public events::WebhookSender {
  public:
    explicit CurlSender(bool allow_internal_targets = false);
    ~CurlSender() override;
    CurlSender(const CurlSender&) = delete;
    CurlSender& operator=(const CurlSender&) = delete;

    Result post(const std::string& url,
                const std::vector<std::pair<std::string, std::string>>& headers,
                const std::string& body, std::chrono::milliseconds timeout) override;

  private:
    void* curl_;  // CURL*
    bool allow_internal_;
};

// True for the addresses a webhook must not reach: loopback (127/8, ::1), link-local
// (169.254/16, fe80::/10), unspecified (0.0.0.0, ::), multicast and IPv4-mapped forms of these.
bool is_internal_address(const struct sockaddr* address);

}  // namespace gridgov::http
