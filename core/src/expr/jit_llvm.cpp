// The native tape compiler: each tape becomes one LLVM IR function, optimized
// at -O2 and compiled for this CPU by LLVM's ORC JIT (LLVM 14, Debian's
// llvm-14-dev). The IR uses no fast-math flags and LLVM fuses no multiply-add
// by default, so every operation rounds as the interpreter's does; library
// functions are called at the addresses of this build's own wrappers
// (libm_function), never through LLVM's intrinsics, which may be simplified.
#include <llvm/ExecutionEngine/Orc/ExecutionUtils.h>
#include <llvm/ExecutionEngine/Orc/LLJIT.h>
#include <llvm/ExecutionEngine/Orc/ThreadSafeModule.h>
#include <llvm/IR/IRBuilder.h>
#include <llvm/IR/Intrinsics.h>
#include <llvm/IR/LLVMContext.h>
#include <llvm/IR/Module.h>
#include <llvm/IR/Verifier.h>
#include <llvm/Passes/PassBuilder.h>
#include <llvm/Support/TargetSelect.h>

#include <condition_variable>
#include <cstdlib>
#include <cstring>
#include <deque>
#include <map>
#include <mutex>
#include <string>
#include <thread>

#include "expr/jit.h"

namespace numen::expr {
namespace {

// One JIT for the process, never destroyed: compiled tapes may outlive any
// static object's destructor.
struct Host {
  std::unique_ptr<llvm::orc::LLJIT> jit;
  std::mutex mutex;
  std::uint64_t next_id = 0;
};

Host* host() {
  static Host* instance = [] {
    auto* h = new Host;
    llvm::InitializeNativeTarget();
    llvm::InitializeNativeTargetAsmPrinter();
    auto created = llvm::orc::LLJITBuilder().create();
    if (!created) {
      llvm::consumeError(created.takeError());
      return h;
    }
    h->jit = std::move(*created);
    auto process =
        llvm::orc::DynamicLibrarySearchGenerator::GetForCurrentProcess(h->jit->getDataLayout().getGlobalPrefix());
    if (process)
      h->jit->getMainJITDylib().addGenerator(std::move(*process));
    else
      llvm::consumeError(process.takeError());
    return h;
  }();
  return instance;
}

class LlvmTape final : public CompiledTape {
 public:
  LlvmTape(llvm::orc::ResourceTrackerSP tracker, TapeFunction fn) : tracker_(std::move(tracker)) { function_ = fn; }
  ~LlvmTape() override {
    std::lock_guard<std::mutex> lock(host()->mutex);
    llvm::consumeError(tracker_->remove());
  }

 private:
  llvm::orc::ResourceTrackerSP tracker_;
};

bool is_jump(Op op) { return op == Op::JumpIfZero || op == Op::JumpIfNonZero; }

class IrWriter {
 public:
  IrWriter(const Tape& tape, const TapeContext& cx, llvm::LLVMContext& ctx, llvm::Module& module)
      : tape_(tape), cx_(cx), ctx_(ctx), module_(module), b_(ctx), dbl_(llvm::Type::getDoubleTy(ctx)) {}

  bool write(const std::string& name) {
    for (const Instr& in : tape_.code)
      if (in.op == Op::Interp || in.op == Op::InterpSlope) return false;  // tables stay interpreted
    auto* ptr = llvm::PointerType::getUnqual(dbl_);
    auto* type = llvm::FunctionType::get(llvm::Type::getVoidTy(ctx_), {ptr, ptr}, false);
    fn_ = llvm::Function::Create(type, llvm::Function::ExternalLinkage, name, module_);
    fn_->addFnAttr(llvm::Attribute::NoUnwind);
    ws_ = fn_->getArg(0);
    out_ = fn_->getArg(1);
    b_.SetInsertPoint(llvm::BasicBlock::Create(ctx_, "entry", fn_));

    const std::size_t size = tape_.code.size();
    std::map<std::size_t, llvm::BasicBlock*> targets;
    for (const Instr& in : tape_.code) {
      if (!is_jump(in.op)) continue;
      if (in.b > size) return false;
      if (!targets.count(in.b)) targets[in.b] = llvm::BasicBlock::Create(ctx_, "L" + std::to_string(in.b), fn_);
    }
    for (std::size_t pc = 0; pc <= size; ++pc) {
      auto target = targets.find(pc);
      if (target != targets.end()) {
        if (!b_.GetInsertBlock()->getTerminator()) b_.CreateBr(target->second);
        b_.SetInsertPoint(target->second);
      }
      if (pc == size) break;
      const Instr& in = tape_.code[pc];
      if (is_jump(in.op)) {
        llvm::Value* a = get(in.a);
        llvm::Value* jump = in.op == Op::JumpIfZero ? b_.CreateFCmpOEQ(a, zero()) : b_.CreateFCmpUNE(a, zero());
        auto* next = llvm::BasicBlock::Create(ctx_, "", fn_);
        b_.CreateCondBr(jump, targets.at(in.b), next);
        b_.SetInsertPoint(next);
        continue;
      }
      llvm::Value* v = emit(in);
      if (!v) return false;
      b_.CreateStore(v, temp(in.dst));
    }
    for (std::size_t k = 0; k < tape_.outputs.size(); ++k)
      b_.CreateStore(get(tape_.outputs[k]), b_.CreateConstInBoundsGEP1_64(dbl_, out_, k));
    b_.CreateRetVoid();
    return !llvm::verifyFunction(*fn_);
  }

 private:
  llvm::Value* zero() { return constant(0.0); }
  llvm::Value* constant(double v) { return llvm::ConstantFP::get(dbl_, v); }

  // Temporaries live in stack slots that mem2reg turns into SSA values; leaves
  // are loaded once, at entry.
  llvm::AllocaInst* temp(std::uint32_t idx) {
    auto [it, added] = temps_.emplace(idx, nullptr);
    if (added) {
      llvm::IRBuilder<> entry(&fn_->getEntryBlock(), fn_->getEntryBlock().begin());
      it->second = entry.CreateAlloca(dbl_);
    }
    return it->second;
  }
  llvm::Value* get(std::uint32_t idx) {
    if (idx < cx_.layout.time) return constant(cx_.constants[idx]);
    if (idx >= cx_.layout.temps) return b_.CreateLoad(dbl_, temp(idx));
    auto [it, added] = leaves_.emplace(idx, nullptr);
    if (added) {
      llvm::BasicBlock& entry = fn_->getEntryBlock();
      llvm::IRBuilder<> at(&entry, entry.getTerminator() ? entry.getTerminator()->getIterator() : entry.end());
      it->second = at.CreateLoad(dbl_, at.CreateConstInBoundsGEP1_64(dbl_, ws_, idx));
    }
    return it->second;
  }
  llvm::Value* to_double(llvm::Value* flag) { return b_.CreateUIToFP(flag, dbl_); }
  llvm::Value* call_libm(Op op, llvm::ArrayRef<llvm::Value*> args) {
    std::vector<llvm::Type*> params(args.size(), dbl_);
    auto* type = llvm::FunctionType::get(dbl_, params, false);
    auto* address =
        llvm::ConstantInt::get(llvm::Type::getInt64Ty(ctx_), reinterpret_cast<std::uintptr_t>(libm_function(op)));
    auto* callee = llvm::ConstantExpr::getIntToPtr(address, llvm::PointerType::getUnqual(type));
    llvm::CallInst* call = b_.CreateCall(type, callee, args);
    call->setDoesNotThrow();
    return call;
  }
  llvm::Value* intrinsic(llvm::Intrinsic::ID id, llvm::Value* a) { return b_.CreateUnaryIntrinsic(id, a); }

  llvm::Value* emit(const Instr& in) {
    llvm::Value* a = get(in.a);
    auto b = [&] { return get(in.b); };
    if (libm_function(in.op)) return is_libm_binary(in.op) ? call_libm(in.op, {a, b()}) : call_libm(in.op, {a});
    switch (in.op) {
      case Op::Add:
        return b_.CreateFAdd(a, b());
      case Op::Sub:
        return b_.CreateFSub(a, b());
      case Op::Mul:
        return b_.CreateFMul(a, b());
      case Op::Div:
        return b_.CreateFDiv(a, b());
      case Op::Neg:
        return b_.CreateFNeg(a);
      case Op::Abs:
        return intrinsic(llvm::Intrinsic::fabs, a);  // exact: clears the sign bit
      case Op::Floor:
        return intrinsic(llvm::Intrinsic::floor, a);  // exact
      case Op::Sqrt:
        return intrinsic(llvm::Intrinsic::sqrt,
                         a);  // correctly rounded, as std::sqrt
      case Op::Square:
        return b_.CreateFMul(a, a);
      case Op::Min: {
        llvm::Value* bv = b();
        return b_.CreateSelect(b_.CreateFCmpOLE(a, bv), a, bv);
      }
      case Op::Max: {
        llvm::Value* bv = b();
        return b_.CreateSelect(b_.CreateFCmpOGE(a, bv), a, bv);
      }
      case Op::Lt:
        return to_double(b_.CreateFCmpOLT(a, b()));
      case Op::Le:
        return to_double(b_.CreateFCmpOLE(a, b()));
      case Op::Gt:
        return to_double(b_.CreateFCmpOGT(a, b()));
      case Op::Ge:
        return to_double(b_.CreateFCmpOGE(a, b()));
      case Op::Eq:
        return to_double(b_.CreateFCmpOEQ(a, b()));
      case Op::Ne:
        return to_double(b_.CreateFCmpUNE(a, b()));
      case Op::And:
        return to_double(b_.CreateAnd(b_.CreateFCmpUNE(a, zero()), b_.CreateFCmpUNE(b(), zero())));
      case Op::Or:
        return to_double(b_.CreateOr(b_.CreateFCmpUNE(a, zero()), b_.CreateFCmpUNE(b(), zero())));
      case Op::Not:
        return to_double(b_.CreateFCmpOEQ(a, zero()));
      case Op::Select:
        return b_.CreateSelect(b_.CreateFCmpUNE(a, zero()), b(), get(in.c));
      case Op::GuardMul:
        return b_.CreateSelect(b_.CreateFCmpOEQ(a, zero()), zero(), b_.CreateFMul(a, b()));
      case Op::Sign:
        return b_.CreateSelect(b_.CreateFCmpOGT(a, zero()), constant(1.0),
                               b_.CreateSelect(b_.CreateFCmpOLT(a, zero()), constant(-1.0), zero()));
      case Op::PowInt: {  // tape.cpp's pow_int, unrolled: the same multiplications
                          // in the same order
        std::int32_t n;
        std::memcpy(&n, &in.b, sizeof n);
        const bool invert = n < 0;
        unsigned e = static_cast<unsigned>(invert ? -static_cast<long>(n) : n);
        llvm::Value* result = constant(1.0);
        llvm::Value* base = a;
        while (e) {
          if (e & 1u) result = b_.CreateFMul(result, base);
          e >>= 1u;
          if (e) base = b_.CreateFMul(base, base);
        }
        return invert ? b_.CreateFDiv(constant(1.0), result) : result;
      }
      default:
        return nullptr;
    }
  }

  const Tape& tape_;
  const TapeContext& cx_;
  llvm::LLVMContext& ctx_;
  llvm::Module& module_;
  llvm::IRBuilder<> b_;
  llvm::Type* dbl_;
  llvm::Function* fn_ = nullptr;
  llvm::Value* ws_ = nullptr;
  llvm::Value* out_ = nullptr;
  std::map<std::uint32_t, llvm::AllocaInst*> temps_;
  std::map<std::uint32_t, llvm::Value*> leaves_;
};

void optimize(llvm::Module& module) {
  llvm::LoopAnalysisManager lam;
  llvm::FunctionAnalysisManager fam;
  llvm::CGSCCAnalysisManager cgam;
  llvm::ModuleAnalysisManager mam;
  llvm::PassBuilder pb;
  pb.registerModuleAnalyses(mam);
  pb.registerCGSCCAnalyses(cgam);
  pb.registerFunctionAnalyses(fam);
  pb.registerLoopAnalyses(lam);
  pb.crossRegisterProxies(lam, fam, cgam, mam);
  // -O2 rather than just promoting the temporaries to registers: the code is
  // 15% faster, for little more time than the code generator itself takes.
  pb.buildPerModuleDefaultPipeline(llvm::OptimizationLevel::O2).run(module, mam);
}

// LLVM takes 5-30 ms to compile a tape, longer than many whole solves: compiles
// run on one background thread while the interpreter goes on, and a tape
// switches to its code when it is ready.
class Compiler {
 public:
  static Compiler& instance() {
    static Compiler* compiler = [] {
      auto* c = new Compiler;  // never destroyed; its thread is joined at exit,
                               // before LLVM's statics go
      std::atexit([] { Compiler::instance().stop(); });
      return c;
    }();
    return *compiler;
  }

  void submit(std::function<void()> job) {
    std::lock_guard<std::mutex> lock(mutex_);
    if (stopping_) return;
    if (!worker_.joinable()) worker_ = std::thread([this] { work(); });
    jobs_.push_back(std::move(job));
    wake_.notify_one();
  }

 private:
  void work() {
    for (;;) {
      std::function<void()> job;
      {
        std::unique_lock<std::mutex> lock(mutex_);
        wake_.wait(lock, [this] { return stopping_ || !jobs_.empty(); });
        if (stopping_) return;
        job = std::move(jobs_.front());
        jobs_.pop_front();
      }
      job();
    }
  }

  void stop() {
    {
      std::lock_guard<std::mutex> lock(mutex_);
      stopping_ = true;
      jobs_.clear();
      wake_.notify_one();
    }
    if (worker_.joinable()) worker_.join();
  }

  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::function<void()>> jobs_;
  std::thread worker_;
  bool stopping_ = false;
};

}  // namespace

bool jit_available() { return host()->jit != nullptr; }

void run_compile_job(std::function<void()> job) { Compiler::instance().submit(std::move(job)); }

std::unique_ptr<CompiledTape> compile_tape(const Tape& tape, const TapeContext& context) {
  Host* h = host();
  if (!h->jit || tape.code.size() > kMaxJitInstructions) return nullptr;
  std::lock_guard<std::mutex> lock(h->mutex);
  const std::string name = "numen_tape_" + std::to_string(h->next_id++);
  auto ctx = std::make_unique<llvm::LLVMContext>();
  auto module = std::make_unique<llvm::Module>(name, *ctx);
  module->setDataLayout(h->jit->getDataLayout());
  module->setTargetTriple(h->jit->getTargetTriple().str());
  if (!IrWriter(tape, context, *ctx, *module).write(name)) return nullptr;
  optimize(*module);
  llvm::orc::ResourceTrackerSP tracker = h->jit->getMainJITDylib().createResourceTracker();
  if (llvm::Error err = h->jit->addIRModule(tracker, llvm::orc::ThreadSafeModule(std::move(module), std::move(ctx)))) {
    llvm::consumeError(std::move(err));
    return nullptr;
  }
  auto symbol = h->jit->lookup(name);
  if (!symbol) {
    llvm::consumeError(symbol.takeError());
    llvm::consumeError(tracker->remove());
    return nullptr;
  }
  return std::make_unique<LlvmTape>(tracker, reinterpret_cast<TapeFunction>(symbol->getAddress()));
}

}  // namespace numen::expr
