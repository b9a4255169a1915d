// Sends webhook deliveries over HTTP and HTTPS with libcurl: one POST at a time, certificates
// verified, no redirects followed, a deadline for the whole exchange. One instance per sending
// thread (it keeps its connection open between deliveries).
#pragma once

#include "events/webhooks.hpp"

namespace gridgov::http {

class CurlSender : public events::WebhookSender {
  public:
    CurlSender();
    ~CurlSender() override;
    CurlSender(const CurlSender&) = delete;
    CurlSender& operator=(const CurlSender&) = delete;

    Result post(const std::string& url,
                const std::vector<std::pair<std::string, std::string>>& headers,
                const std::string& body, std::chrono::milliseconds timeout) override;

  private:
    void* curl_;  // CURL*
};

}  // namespace gridgov::http
