extension SystemReader {
    func remoteProcessors() -> [RemoteProcessor] {
        let classDir = SysPath("/sys/class/remoteproc")
        return entries(classDir).compactMap { entry in
            let link = classDir.appending(entry)
            guard let resolved = resolve(link) else { return nil }
            return RemoteProcessor(
                name: DisplayText.decode(entry),
                sysfsPath: resolved.description,
                processorName: optionalAttribute(resolved, "name"),
                state: optionalAttribute(resolved, "state"),
                firmware: optionalAttribute(resolved, "firmware"),
                recovery: optionalAttribute(resolved, "recovery"),
                resourceTable: resourceTable(ofRemote: entry)
            )
        }
    }
}
