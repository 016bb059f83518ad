import Foundation

// OpenMP reads OMP_THREAD_LIMIT when libtesseract loads, before this line runs, so
// setting it here would be too late for this process. Set it and re-execute once:
// each worker owns an engine, and Tesseract's own threads would only oversubscribe
// the cores. A user's explicit value is kept.
if ProcessInfo.processInfo.environment["OMP_THREAD_LIMIT"] == nil {
    setenv("OMP_THREAD_LIMIT", "1", 1)
    execv("/proc/self/exe", CommandLine.unsafeArgv)
    // exec failed (no /proc): go on with OpenMP's default threads.
}

ClaimEye.main()
