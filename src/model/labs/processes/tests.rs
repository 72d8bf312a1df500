//! The pool's bookkeeping and the cost table's arithmetic, natively.

use super::*;

#[test]
fn map_keeps_submission_order_whatever_order_results_arrive_in() {
    let mut book = PoolBook::new(4);
    let taken: Vec<_> = [7, 8, 7, 8]
        .iter()
        .map(|&pid| book.take(pid).unwrap())
        .collect();
    assert_eq!(taken, vec![0, 1, 2, 3]);
    assert_eq!(book.take(7), None, "four tasks, four takes");
    for task in [3, 1, 0, 2] {
        book.done(task, 7, task_output(task_input(task)), f64::from(task))
            .unwrap();
    }
    assert!(book.finished());
    assert_eq!(book.arrival_order(), &[3, 1, 0, 2]);
    assert_eq!(
        book.values_in_order(),
        vec![Some(1), Some(4), Some(9), Some(16)]
    );
    let order: Vec<u32> = book.results().iter().map(|r| r.task).collect();
    assert_eq!(order, vec![0, 1, 2, 3]);
}

#[test]
fn a_crashed_task_is_an_error_in_its_slot_and_counts_a_restart() {
    let mut book = PoolBook::new(3);
    for pid in [1, 2, 1] {
        book.take(pid).unwrap();
    }
    book.done(0, 1, 1, 1.0).unwrap();
    book.failed(1, 2, "process 2 exited: boom".into(), true, 2.0)
        .unwrap();
    assert!(!book.finished());
    book.failed(2, 1, "ValueError".into(), false, 3.0).unwrap();
    assert!(book.finished());
    assert_eq!(book.restarted(), 1, "only the crash starts a new process");
    assert_eq!(book.values_in_order(), vec![Some(1), None, None]);
    let results = book.results();
    assert_eq!(results[1].error.as_deref(), Some("process 2 exited: boom"));
    assert_eq!(results[1].pid, 2);
}

#[test]
fn map_raises_the_first_error_to_arrive_and_the_waits_can_descend() {
    let mut book = PoolBook::new(3);
    for pid in [1, 2, 3] {
        book.take(pid).unwrap();
    }
    // Task 2 fails first, task 0 later: map raises task 2's error (CPython keeps the first).
    let raised = book.failed(2, 3, task_error(3), false, 10.0).unwrap();
    // What a callback is handed: the result as recorded.
    let answered = book.done(1, 2, 4, 20.0).unwrap();
    assert_eq!(
        (answered.task, answered.value, answered.pid),
        (1, Some(4), 2)
    );
    assert_eq!(raised.error.as_deref(), Some("ValueError: bad input 3"));
    book.failed(0, 1, task_error(1), false, 30.0).unwrap();
    assert_eq!(
        book.first_error().as_deref(),
        Some("ValueError: bad input 3")
    );
    assert_eq!(book.results()[1], answered);
    let params = PoolParams {
        tasks: 4,
        task_ms: 100,
        descending: true,
        ..PoolParams::default()
    };
    assert_eq!(params.waits_ms(), [100, 75, 50, 25]);
    // Each process takes the next task when free: 100 | 75 then 25 | 50 on three processes.
    assert_eq!(pool_expected_ms(&params.waits_ms(), 3), 100);
    assert_eq!(pool_expected_ms(&params.waits_ms(), 1), 250);
    // Nine equal waits of 120 ms on three processes: three rounds.
    assert_eq!(pool_expected_ms(&[120; 9], 3), 360);
    assert_eq!(pool_expected_ms(&[], 3), 0);
    assert_eq!(PoolParams::default().waits_ms(), [100; 8]);
    // The failing task is a submission index below `tasks`, or -1 for none.
    assert!((0..4).all(|i| !params.fails(i)), "-1: none fails");
    let failing = PoolParams {
        fail_task: 2,
        ..params.clone()
    };
    assert!(failing.validate().is_ok() && failing.fails(2) && !failing.fails(3));
    let err = PoolParams {
        fail_task: 4,
        ..params
    }
    .validate()
    .unwrap_err();
    assert!(
        err.contains("fail_task") && err.contains("-1") && err.contains('3'),
        "{err}"
    );
}

#[test]
fn finishing_a_task_that_is_not_running_is_refused() {
    let mut book = PoolBook::new(2);
    assert!(book.done(0, 1, 1, 0.0).is_err(), "never taken");
    book.take(1).unwrap();
    book.done(0, 1, 1, 0.0).unwrap();
    assert!(book.done(0, 1, 1, 0.0).is_err(), "already finished");
}

#[test]
fn percentiles_interpolate_between_samples() {
    let samples = [5.0, 1.0, 3.0, 2.0, 4.0];
    assert_eq!(percentile(&samples, 0.5), Some(3.0));
    assert_eq!(percentile(&samples, 0.0), Some(1.0));
    assert_eq!(percentile(&samples, 1.0), Some(5.0));
    assert!((percentile(&samples, 0.1).unwrap() - 1.4).abs() < 1e-9);
    assert!((percentile(&samples, 0.9).unwrap() - 4.6).abs() < 1e-9);
    assert_eq!(percentile(&[], 0.5), None);
    assert_eq!(percentile(&[1.0, f64::NAN], 0.5), None);
}

fn row(name: &str, median_us: f64) -> CostRow {
    CostRow::of(name, 1, &[median_us]).unwrap()
}

#[test]
fn verdicts_compare_the_measured_medians() {
    let rows = vec![
        row("spawn-process", 40_000.0),
        row("spawn-thread-task", 20.0),
        row("spawn-future", 2.0),
        row("roundtrip-process", 100.0),
        row("roundtrip-thread", 10.0),
        row("roundtrip-future", 1.0),
    ];
    let transfer = vec![
        TransferRow {
            name: "queue-between-processes".into(),
            megabytes: 8.0,
            mb_per_s: 500.0,
            bytes_copied: 8 << 20,
        },
        TransferRow {
            name: "shared-between-threads".into(),
            megabytes: 8.0,
            mb_per_s: 2000.0,
            bytes_copied: 0,
        },
    ];
    let verdicts = verdicts(&rows, &transfer);
    assert_eq!(verdicts.len(), 3);
    assert!(verdicts.iter().all(|v| v.confirmed));
    assert!(
        verdicts[0].detail.contains("10.0× thread"),
        "{}",
        verdicts[0].detail
    );
    assert!(
        verdicts[1].detail.contains("2000× a pool task"),
        "{}",
        verdicts[1].detail
    );
    assert!(
        verdicts[2].detail.contains("4.0× slower"),
        "{}",
        verdicts[2].detail
    );

    let mut slow_thread = rows.clone();
    slow_thread[4] = row("roundtrip-thread", 200.0);
    assert!(
        !verdicts_of(&slow_thread)[0].confirmed,
        "thread slower than process is not confirmed"
    );
}

fn verdicts_of(rows: &[CostRow]) -> Vec<Verdict> {
    verdicts(rows, &[])
}

#[test]
fn cost_rows_name_what_they_measure() {
    for (name, what) in COST_ROWS {
        let row = CostRow::of(name, 10, &[1.0, 2.0, 3.0]).unwrap();
        assert_eq!(row.what, what);
        assert_eq!(row.median_us, 2.0);
        assert_eq!(row.samples, 3);
    }
}

#[test]
fn parameters_name_the_field_and_its_range() {
    let err = PoolParams {
        processes: 9,
        ..PoolParams::default()
    }
    .validate()
    .unwrap_err();
    assert!(err.contains("processes") && err.contains('8'), "{err}");
    let err = PoolParams {
        task_ms: 5000,
        ..PoolParams::default()
    }
    .validate()
    .unwrap_err();
    assert!(err.contains("task_ms") && err.contains("2000"), "{err}");
    assert!(
        CostsParams { repeats: 2 }
            .validate()
            .unwrap_err()
            .contains("repeats")
    );
    assert!(
        ThreadLocalParams { threads: 7 }
            .validate(6)
            .unwrap_err()
            .contains("threads")
    );
    assert!(IsolationParams::default().validate().is_ok());
}

#[test]
fn downloads_are_seeded_five_to_ten_seconds_and_scaled() {
    let params = DownloadsParams::default();
    let files = downloads(&params);
    assert_eq!(files, downloads(&params), "same seed, same files");
    assert_eq!(files.len(), 5);
    assert_eq!(files[0].name, "Python.pdf");
    for file in &files {
        assert!((5..=10).contains(&file.seconds), "{file:?}");
        assert_eq!(file.ms, file.seconds * 100);
    }
    let other = downloads(&DownloadsParams { seed: 2, ..params });
    assert_ne!(
        files.iter().map(|f| f.seconds).collect::<Vec<_>>(),
        other.iter().map(|f| f.seconds).collect::<Vec<_>>()
    );
}

#[test]
fn sequential_should_take_the_sum_and_the_rest_the_longest() {
    let files = vec![
        Download {
            name: "a".into(),
            seconds: 5,
            ms: 500,
        },
        Download {
            name: "b".into(),
            seconds: 8,
            ms: 800,
        },
    ];
    assert_eq!(expected_ms("sequential", &files), 1300);
    for (name, _, _) in DOWNLOAD_STRATEGIES.iter().skip(1) {
        assert_eq!(expected_ms(name, &files), 800, "{name}");
    }
    assert!(
        JoinDaemonParams {
            work_ms: 10,
            ..JoinDaemonParams::default()
        }
        .validate()
        .unwrap_err()
        .contains("work_ms")
    );
}

#[test]
fn the_cost_table_exports_as_csv() {
    let report = CostsReport {
        rows: vec![CostRow::of("roundtrip-thread", 500, &[10.0, 12.0, 14.0]).unwrap()],
        transfer: vec![TransferRow {
            name: "queue-between-processes".into(),
            megabytes: 16.0,
            mb_per_s: 791.25,
            bytes_copied: 16_777_216,
        }],
        verdicts: vec![],
    };
    assert_eq!(
        costs_csv(&report),
        "name,median_us,p10_us,p90_us,samples,batch,mb_per_s,bytes_copied\n\
         roundtrip-thread,12.000,10.400,13.600,3,500,,\n\
         queue-between-processes,,,,,,791.2,16777216\n"
    );
}

#[test]
fn the_managers_report_counts_lost_increments_and_calls() {
    use super::manager::{ManagerParams, ManagerReport, WorkerCalls};
    let params = ManagerParams {
        increments: 500,
        lock: false,
    };
    let workers = vec![
        WorkerCalls {
            pid: 2,
            calls: 1000,
            ms: 90.0,
        },
        WorkerCalls {
            pid: 3,
            calls: 1000,
            ms: 100.0,
        },
    ];
    let r = ManagerReport::new(&params, 588, 1, workers, 2000, 100.0);
    assert_eq!((r.expected, r.lost_updates), (1000, 412));
    assert_eq!(
        r.us_per_call, 95.0,
        "90 µs and 100 µs per call in the two workers"
    );
    assert_eq!(ManagerReport::calls_per_increment(false), 2);
    assert_eq!(ManagerReport::calls_per_increment(true), 4);
    // A counter above the expected one would be a bug elsewhere, never a negative loss.
    let r = ManagerReport::new(&params, 1001, 1, vec![], 0, 0.0);
    assert_eq!((r.lost_updates, r.us_per_call), (0, 0.0));
    let err = ManagerParams {
        increments: 0,
        lock: true,
    }
    .validate()
    .unwrap_err();
    assert!(err.contains("increments") && err.contains("2000"), "{err}");
}
