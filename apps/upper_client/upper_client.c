/* upper_client: finds upper_server by package name and makes one RPC. */
#include <stdio.h>
#include <string.h>

#include <libtock-sync/ipc/ipc_registry_package_name.h>
#include <libtock-sync/ipc/ipc_relay_request.h>
#include <libtock-sync/services/alarm.h>

int main(void) {
  const char *server = "upper_server";
  uint64_t id;
  while (libtocksync_ipc_registry_package_name_discover_service((const uint8_t *)server, strlen(server), &id)
         != RETURNCODE_SUCCESS)
    libtocksync_alarm_delay_ms(10); /* not registered yet */

  char request[] = "hello, ipc", response[64];
  size_t got = sizeof(response) - 1; /* in: room for the response; out: its length */
  returncode_t rc = libtocksync_ipc_relay_request_client_send_request(
      id, (uint8_t *)request, strlen(request), (uint8_t *)response, &got);
  if (rc != RETURNCODE_SUCCESS) return 1;
  response[got] = '\0';
  printf("server 0x%llx answered: %s\n", (unsigned long long)id, response);
  return 0;
}
