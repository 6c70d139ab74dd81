#include "app/runtime/datafolder.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QRandomGenerator>

#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

namespace {

QString systemError(int error)
{
    return QString::fromLocal8Bit(std::strerror(error));
}

bool keptAsIs(char c, bool first)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' ||
           c == '_' || (c == '.' && !first);
}

} // namespace

QString DataFolder::component(const QString &name)
{
    const QByteArray utf8 = name.toUtf8();
    if (utf8.isEmpty())
        return QStringLiteral("%");
    QString out;
    out.reserve(utf8.size());
    for (qsizetype i = 0; i < utf8.size(); ++i) {
        const char c = utf8[i];
        if (keptAsIs(c, i == 0))
            out += QLatin1Char(c);
        else
            out += u'%' + QStringLiteral("%1").arg(uchar(c), 2, 16, QLatin1Char('0')).toUpper();
    }
    return out;
}

QString DataFolder::fromComponent(const QString &component)
{
    if (component == u"%")
        return {};
    return QString::fromUtf8(QByteArray::fromPercentEncoding(component.toLatin1()));
}

QString DataFolder::deploymentDir(const QString &dataDir, const QString &endpoint,
                                  const QString &deployment)
{
    return dataDir + QStringLiteral("/deployments/") + component(endpoint) + u'/' +
           component(deployment);
}

QString DataFolder::endpointDir(const QString &dataDir, const QString &endpoint)
{
    return dataDir + QStringLiteral("/endpoints/") + component(endpoint);
}

QString DataFolder::makePrivateDir(const QString &dir)
{
    if (!QDir().mkpath(dir))
        return QStringLiteral("cannot create the folder %1; check that the data folder is "
                              "writable")
            .arg(dir);
    if (::chmod(QFile::encodeName(dir).constData(), 0700) != 0)
        return QStringLiteral("cannot make %1 private (mode 0700): %2")
            .arg(dir, systemError(errno));
    return {};
}

QString DataFolder::makePrivateFile(const QString &path)
{
    if (::chmod(QFile::encodeName(path).constData(), 0600) != 0)
        return QStringLiteral("cannot make %1 private (mode 0600): %2")
            .arg(path, systemError(errno));
    return {};
}

QString DataFolder::writePrivate(const QString &path, const QByteArray &data)
{
    const QString dir = QFileInfo(path).absolutePath();
    if (!QFileInfo(dir).isDir()) {
        if (const QString error = makePrivateDir(dir); !error.isEmpty())
            return error;
    }
    const QByteArray target = QFile::encodeName(path);
    const QByteArray temp =
        target + ".tmp-" + QByteArray::number(QRandomGenerator::global()->generate(), 16);
    const int fd = ::open(temp.constData(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
    if (fd < 0)
        return QStringLiteral("cannot write %1: %2").arg(path, systemError(errno));
    auto failed = [&](int error) {
        ::close(fd);
        ::unlink(temp.constData());
        return QStringLiteral("cannot write %1: %2").arg(path, systemError(error));
    };
    // Mode 0600 whatever the umask said.
    if (::fchmod(fd, 0600) != 0)
        return failed(errno);
    qsizetype written = 0;
    while (written < data.size()) {
        const ssize_t n = ::write(fd, data.constData() + written, size_t(data.size() - written));
        if (n < 0 && errno == EINTR)
            continue;
        if (n <= 0)
            return failed(n < 0 ? errno : ENOSPC);
        written += n;
    }
    // A full disk can show only here (delayed allocation); the old record stays whole.
    if (::fsync(fd) != 0)
        return failed(errno);
    if (::close(fd) != 0) {
        const int error = errno;
        ::unlink(temp.constData());
        return QStringLiteral("cannot write %1: %2").arg(path, systemError(error));
    }
    if (::rename(temp.constData(), target.constData()) != 0) {
        const int error = errno;
        ::unlink(temp.constData());
        return QStringLiteral("cannot write %1: %2").arg(path, systemError(error));
    }
    return {};
}

QString DataFolder::resolved(const QString &path)
{
    QString clean = QDir::cleanPath(QFileInfo(path).absoluteFilePath());
    QStringList missing;
    // The deepest part that exists is resolved; what follows it is kept as written.
    while (!clean.isEmpty()) {
        const QString real = QFileInfo(clean).canonicalFilePath();
        if (!real.isEmpty()) {
            QString result = real;
            for (const QString &part : std::as_const(missing))
                result = QDir::cleanPath(result + u'/' + part);
            return result;
        }
        const qsizetype slash = clean.lastIndexOf(u'/');
        if (slash <= 0) {
            missing.prepend(clean.mid(1));
            clean = QStringLiteral("/");
            continue;
        }
        missing.prepend(clean.mid(slash + 1));
        clean = clean.left(slash);
    }
    return QDir::cleanPath(path);
}

bool DataFolder::contains(const QString &root, const QString &path)
{
    const QString r = resolved(root);
    const QString p = resolved(path);
    if (r == u"/")
        return true;
    return p == r || p.startsWith(r + u'/');
}
