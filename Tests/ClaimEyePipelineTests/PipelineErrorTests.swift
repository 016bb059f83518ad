import Testing

@testable import ClaimEyePipeline

@Suite struct PipelineErrorTests {
    @Test func messagesSayWhatHappenedAndWhatToDo() {
        #expect(PipelineError.inboxLocked(inbox: "/srv/inbox", holder: "pid 42").description.contains("pid 42"))
        #expect(PipelineError.cannotWriteOutput(path: "/out", message: "read-only").description.contains("/out"))
        #expect(PipelineError.interrupted.description.contains("rolled back"))
    }
}
