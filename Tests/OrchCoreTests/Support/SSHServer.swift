import Foundation
import Synchronization
import OrchCore
import Testing

/// A real OpenSSH server on 127.0.0.1, on a free port, with its own host key, config and one
/// authorized key, all in a temp folder (never the system's sshd, never port 22); `stop()`
/// ends it. The "remote" machine is this one: its tmux servers are the test servers'.
final class SSHServer: Sendable {
    let directory: String
    let port: Int
    let pid: Mutex<Int32>

    static let sshd = "/usr/sbin/sshd"
    static var isInstalled: Bool { FileManager.default.isExecutableFile(atPath: sshd) }

    init() throws {
        directory = NSTemporaryDirectory() + "orch-sshd-\(getpid())-\(UInt32.random(in: 0...UInt32.max))"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for key in ["host_key", "client_key"] {
            let made = try TestServer.run("/usr/bin/ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", "orch-test", "-f", directory + "/" + key])
            try #require(made.status == 0, "ssh-keygen: \(made.err)")
        }
        try FileManager.default.copyItem(atPath: directory + "/client_key.pub", toPath: directory + "/authorized_keys")
        // Privilege separation wants its empty folder.
        try? FileManager.default.createDirectory(atPath: "/run/sshd", withIntermediateDirectories: true)
        var started: (port: Int, pid: Int32)?
        for _ in 0..<5 where started == nil {
            let port = try Self.freePort()
            let config = [
                "Port \(port)", "ListenAddress 127.0.0.1", "HostKey \(directory)/host_key",
                "AuthorizedKeysFile \(directory)/authorized_keys", "PidFile \(directory)/sshd.pid",
                "StrictModes no", "PasswordAuthentication no", "KbdInteractiveAuthentication no", "UsePAM no",
                "PermitRootLogin prohibit-password", "PrintMotd no", "LogLevel ERROR", "MaxSessions 100", "MaxStartups 100",
            ]
            try (config.joined(separator: "\n") + "\n").write(toFile: directory + "/sshd_config", atomically: true, encoding: .utf8)
            // Not Foundation's Process: its reaper blocks in wait4 on a child that never exits
            // (sshd), and no other Process started after it is ever seen to end.
            let log = open(directory + "/sshd.log", O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            let null = open("/dev/null", O_RDWR | O_CLOEXEC)
            defer { close(log); close(null) }
            let pid = try Spawner.spawn(Self.sshd, ["-D", "-e", "-f", directory + "/sshd_config"], stdin: null, stdout: null, stderr: log)
            let running = { () -> Bool in
                var status: Int32 = 0
                return waitpid(pid, &status, WNOHANG) == 0
            }
            if (try? waitFor("sshd listens on \(port)", timeout: .seconds(10), { Self.accepts(port) || !running() })) != nil, running() {
                started = (port, pid)
            } else {
                Foundation.kill(pid, SIGKILL)
                var status: Int32 = 0
                waitpid(pid, &status, 0)
            }
        }
        let got = try #require(started, "sshd did not start: \((try? String(contentsOfFile: directory + "/sshd.log", encoding: .utf8)) ?? "")")
        port = got.port
        pid = Mutex(got.pid)
        let hostKey = try String(contentsOfFile: directory + "/host_key.pub", encoding: .utf8).split(separator: " ").prefix(2).joined(separator: " ")
        try "[127.0.0.1]:\(port) \(hostKey)\n".write(toFile: directory + "/known_hosts", atomically: true, encoding: .utf8)
    }

    /// The words after `ssh` in a `host` line that logs in here with the test key.
    var sshArguments: [String] {
        ["-p", "\(port)", "-i", directory + "/client_key", "-o", "UserKnownHostsFile=\(directory)/known_hosts", "-o", "StrictHostKeyChecking=yes", "-o", "IdentitiesOnly=yes", "root@127.0.0.1"]
    }

    /// The same as one `host` line's words, quoted for orch's language.
    func hostLine(_ name: String, socket: String, session: String? = nil) -> String {
        "host \(name) socket \(socket)" + (session.map { " session '\($0)'" } ?? "") + " ssh " + sshArguments.map { "'\($0)'" }.joined(separator: " ")
    }

    /// Kills sshd and every ssh session it serves (the connection drops, as a host that goes away).
    func kill() {
        // Its sessions first (the listener's children; other tests' sshds keep theirs).
        let pid = self.pid.withLock { $0 }
        _ = try? TestServer.run("/usr/bin/pkill", ["-KILL", "-P", "\(pid)"])
        Foundation.kill(pid, SIGKILL)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }

    /// After `kill()`: the same server again, same port, keys and config (a host coming back).
    func restart() throws {
        let log = open(directory + "/sshd.log", O_WRONLY | O_APPEND | O_CLOEXEC)
        let null = open("/dev/null", O_RDWR | O_CLOEXEC)
        defer { close(log); close(null) }
        let pid = try Spawner.spawn(Self.sshd, ["-D", "-e", "-f", directory + "/sshd_config"], stdin: null, stdout: null, stderr: log)
        self.pid.withLock { $0 = pid }
        try waitFor("sshd listens again on \(port)", timeout: .seconds(10)) { Self.accepts(self.port) }
    }

    func stop() {
        kill()
        try? FileManager.default.removeItem(atPath: directory)
    }

    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        try #require(bound, "no free port")
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func accepts(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
