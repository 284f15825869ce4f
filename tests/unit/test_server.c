/* test_server.c: the server's method table is sorted, so bsearch finds
 * every method. */
#include <criterion/criterion.h>

int gls_server_methods_sorted(void);

Test(server, method_table_sorted)
{
    cr_assert(gls_server_methods_sorted(), "server.c's methods[] must stay in strcmp order");
}
