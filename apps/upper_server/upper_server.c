/* upper_server: answers each Relay Request with the request upper-cased. */
#include <ctype.h>
#include <stdio.h>

#include <libtock-sync/ipc/ipc_registry_package_name.h>
#include <libtock-sync/ipc/ipc_relay_request.h>

int main(void) {
  uint8_t buf[64];
  libtocksync_ipc_relay_request_server_enable_requests();
  libtocksync_ipc_registry_package_name_register_service(); /* registers our TBF package name */
  for (;;) {
    uint64_t client;
    size_t len = sizeof(buf);
    if (libtocksync_ipc_relay_request_server_wait_for_request(&client, buf, &len) != RETURNCODE_SUCCESS) continue;
    for (size_t i = 0; i < len; i++) buf[i] = (uint8_t)toupper(buf[i]);
    libtocksync_ipc_relay_request_server_send_response(buf, len);
  }
}
