#include "app/runtime/localport.h"

#include <QHostAddress>
#include <QTcpServer>

int LocalPort::pickFree()
{
    QTcpServer server;
    if (!server.listen(QHostAddress::LocalHost, 0))
        return 0;
    return server.serverPort();
}
